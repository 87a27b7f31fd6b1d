#include "audit/suppressions.hpp"

#include <algorithm>
#include <cctype>

#include "text/utf8.hpp"

namespace pkgaudit::audit {
namespace {

constexpr std::string_view kMarker = "pkgaudit:";

bool inside_shell_comment(const model::File& file, uint32_t offset) {
  if (!file.shell) return true;
  return std::any_of(file.shell->comments.begin(), file.shell->comments.end(),
                     [&](const shell::Comment& c) { return offset >= c.span.begin && offset < c.span.end; });
}

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
    for (uint32_t n = 1; n <= file.lines->line_count(); ++n) {
      const std::string_view line = file.lines->line_text(n);
      const uint32_t start = file.lines->line_start(n);
      const size_t marker = line.find(kMarker);
      if (marker != std::string_view::npos && after_comment_start(line, marker) &&
          inside_shell_comment(file, start + static_cast<uint32_t>(marker))) {
        parse(file, n, line, start, marker, top, out);
      }
      if (!comment_only_line(line)) top = false;
    }
  }
  return out;
}

void apply_suppressions(std::vector<model::Suppression>& suppressions, std::vector<Finding>& findings) {
  for (Finding& f : findings) {
    if (f.rule_id.starts_with("PA1") || f.rule_id == "PA001") continue;  // never suppressible inline
    for (model::Suppression& s : suppressions) {
      if (!s.problem.empty() || s.file->path != f.location.path) continue;
      const bool covers = s.whole_file || s.line == f.location.line ||
                          (s.line + 1 == f.location.line && comment_only_line(s.file->lines->line_text(s.line)));
      if (!covers) continue;
      for (size_t i = 0; i < s.ids.size(); ++i) {
        if (s.ids[i] != f.rule_id) continue;
        s.used[i] = true;
        f.suppressed = true;
        f.justification = s.reason.empty() ? std::string("suppressed inline, no reason given") : s.reason;
      }
    }
  }
}

}  // namespace pkgaudit::audit
