#include "audit/suppressions.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "text/utf8.hpp"

namespace pkgaudit::audit {
namespace {

constexpr std::string_view kMarker = "pkgaudit:";

// The file's comments by start, each with the furthest end up to it: an
// offset is inside a comment when the last one starting at or before it, or
// any before that, ends after it. A script of marker lines would otherwise
// scan every comment for every line.
class CommentIndex {
 public:
  explicit CommentIndex(const model::File& file) : shell_(file.shell != nullptr) {
    if (!shell_) return;
    spans_.reserve(file.shell->comments.size());
    for (const shell::Comment& c : file.shell->comments) spans_.push_back(c.span);
    std::sort(spans_.begin(), spans_.end(), [](const shell::Span& a, const shell::Span& b) { return a.begin < b.begin; });
    uint32_t furthest = 0;
    for (shell::Span& span : spans_) span.end = furthest = std::max(furthest, span.end);
  }

  // Not a script: any comment introducer will do.
  bool inside(uint32_t offset) const {
    if (!shell_) return true;
    const auto after = std::upper_bound(spans_.begin(), spans_.end(), offset,
                                        [](uint32_t at, const shell::Span& span) { return at < span.begin; });
    return after != spans_.begin() && std::prev(after)->end > offset;
  }

 private:
  bool shell_;
  std::vector<shell::Span> spans_;  // end: the furthest end of this and every earlier span
};

// A comment introducer before the marker on the same line: `#`, `;`, `--`, `//`.
bool after_comment_start(std::string_view line, size_t marker) {
  const std::string_view before = line.substr(0, marker);
  return before.find('#') != std::string_view::npos || before.find(';') != std::string_view::npos ||
         before.find("--") != std::string_view::npos || before.find("//") != std::string_view::npos;
}

bool comment_only_line(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  const std::string_view rest = line.substr(i);
  return rest.empty() || rest.starts_with('#') || rest.starts_with(';') || rest.starts_with("--") ||
         rest.starts_with("//");
}

void parse(const model::File& file, uint32_t line_no, std::string_view line, uint32_t line_start, size_t marker,
           bool top_of_file, std::vector<model::Suppression>& out) {
  model::Suppression s;
  s.file = &file;
  s.line = line_no;
  std::string_view rest = line.substr(marker + kMarker.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const size_t text_end = line.size();
  s.span = {line_start + static_cast<uint32_t>(marker), line_start + static_cast<uint32_t>(text_end)};
  if (rest.starts_with("ignore-file")) {
    s.whole_file = true;
    rest.remove_prefix(11);
    if (!top_of_file) s.problem = "ignore-file[...] only works at the top of a file, before any code";
  } else if (rest.starts_with("ignore")) {
    rest.remove_prefix(6);
  } else {
    return;  // some other "pkgaudit:" text
  }
  if (!rest.starts_with('[')) {
    if (s.problem.empty()) s.problem = "expected ignore[RULE,...] with the rule ids in brackets";
    out.push_back(std::move(s));
    return;
  }
  const size_t close = rest.find(']');
  if (close == std::string_view::npos) {
    s.problem = "the rule list has no closing ']'";
    out.push_back(std::move(s));
    return;
  }
  std::string_view list = rest.substr(1, close - 1);
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view id = list.substr(0, comma);
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    if (!id.empty()) s.ids.emplace_back(id);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  if (s.ids.empty() && s.problem.empty()) s.problem = "no rule ids in the brackets";
  std::string_view reason = rest.substr(close + 1);
  while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.front()))) reason.remove_prefix(1);
  while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.back()))) reason.remove_suffix(1);
  s.reason = text::to_valid_utf8(reason);  // it becomes the justification in the report
  s.used.assign(s.ids.size(), false);
  out.push_back(std::move(s));
}

}  // namespace

std::vector<model::Suppression> find_suppressions(const model::Package& package) {
  std::vector<model::Suppression> out;
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (!file.audited || !file.content || !file.lines) continue;
    const std::string_view text = *file.content;
    if (text.find(kMarker) == std::string_view::npos) continue;
    bool top = true;  // still in the leading comment block
    const CommentIndex comments(file);
    for (uint32_t n = 1; n <= file.lines->line_count(); ++n) {
      const std::string_view line = file.lines->line_text(n);
      const uint32_t start = file.lines->line_start(n);
      const size_t marker = line.find(kMarker);
      if (marker != std::string_view::npos && after_comment_start(line, marker) &&
          comments.inside(start + static_cast<uint32_t>(marker))) {
        parse(file, n, line, start, marker, top, out);
      }
      if (!comment_only_line(line)) top = false;
    }
  }
  return out;
}

// Indexed by path, then line or rule id: a file of many findings and many
// suppressions would otherwise compare each finding with all of them.
// Where several cover a finding, the last in `suppressions` gives the
// justification (they are in one vector: the greatest address).
Suppressions::Suppressions(std::vector<model::Suppression>& suppressions) {
  for (model::Suppression& s : suppressions) {
    if (!s.problem.empty()) continue;
    InFile& in_file = by_path_[s.file->path];
    if (!s.whole_file) {
      in_file.at_line[s.line].push_back(&s);
      continue;
    }
    for (const std::string& id : s.ids) {
      std::vector<model::Suppression*>& some = in_file.whole_file[id].all;
      if (some.empty() || some.back() != &s) some.push_back(&s);
    }
  }
}

Suppressions::~Suppressions() = default;

void Suppressions::apply(std::vector<Finding>& findings) {
  const std::lock_guard lock(mutex_);
  const auto use = [](model::Suppression& s, std::string_view id) {
    bool matched = false;
    for (size_t i = 0; i < s.ids.size(); ++i) {
      if (s.ids[i] != id) continue;
      s.used[i] = true;
      matched = true;
    }
    return matched;
  };
  for (Finding& f : findings) {
    if (f.rule_id.starts_with("PA1") || f.rule_id == "PA001") continue;  // never suppressible inline
    const auto in_file = by_path_.find(f.location.path);
    if (in_file == by_path_.end()) continue;
    InFile& here = in_file->second;
    const model::Suppression* last = nullptr;
    if (const auto whole = here.whole_file.find(f.rule_id); whole != here.whole_file.end()) {
      if (!whole->second.used) {
        for (model::Suppression* s : whole->second.all) use(*s, f.rule_id);
        whole->second.used = true;
      }
      last = whole->second.all.back();
    }
    const auto on_line = [&](uint32_t line, bool from_line_above) {
      const auto at = here.at_line.find(line);
      if (at == here.at_line.end()) return;
      for (model::Suppression* s : at->second) {
        if (from_line_above && !comment_only_line(s->file->lines->line_text(s->line))) continue;
        if (use(*s, f.rule_id)) last = std::max(last, static_cast<const model::Suppression*>(s), std::less<>());
      }
    };
    on_line(f.location.line, false);
    if (f.location.line > 0) on_line(f.location.line - 1, true);
    if (!last) continue;
    f.suppressed = true;
    f.justification = last->reason.empty() ? std::string("suppressed inline, no reason given") : last->reason;
  }
}

}  // namespace pkgaudit::audit
