// The human report: `path:line:col: level[ID] message`, the source line and
// a caret, then a summary. Every byte from the package goes through
// text::printable, so no escape sequence from a vendor reaches a terminal.
#include <map>

#include <fmt/format.h>

#include "pkgaudit/report.hpp"
#include "pkgaudit/rule_info.hpp"
#include "report/in_order.hpp"
#include "report/sink.hpp"
#include "report/summary.hpp"
#include "text/utf8.hpp"

namespace pkgaudit {
namespace {

constexpr size_t kFindingsPerChunk = 512;  // about 250 KB of text

struct Palette {
  bool on;
  std::string paint(std::string_view code, std::string_view s) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  }
};

std::string_view level_colour(Level level) {
  switch (level) {
    case Level::error: return "1;31";
    case Level::warning: return "1;33";
    case Level::note: return "1;36";
    case Level::none: return "0";
  }
  return "0";
}

// Columns are code points; reproduce tabs so the caret lines up.
std::string caret_line(std::string_view line, const Location& loc) {
  std::string out;
  uint32_t column = 1;
  size_t i = 0;
  const auto next = [&] {
    ++i;
    while (i < line.size() && text::is_continuation_byte(line[i])) ++i;
  };
  // A cut line's snippet starts with "…" standing for what was cut.
  if (loc.snippet_column > 1) {
    out += ' ';
    next();
    column = loc.snippet_column;
  }
  while (i < line.size() && column < loc.column) {
    out += line[i] == '\t' ? '\t' : ' ';
    next();
    ++column;
  }
  uint32_t width = 1;
  if (loc.end_line == loc.line && loc.end_column > loc.column) width = loc.end_column - loc.column;
  // No further than the snippet goes: a region can be megabytes long.
  uint32_t shown = 0;
  for (; i < line.size() && shown < width; ++shown) next();
  out += '^';
  out.append(std::max(shown, 1U) - 1, '~');
  return out;
}

std::string where_of(const Location& loc) {
  std::string where = text::printable(loc.path);
  if (loc.line) where += fmt::format(":{}", loc.line);
  if (loc.column) where += fmt::format(":{}", loc.column);
  return where;
}

void write_finding(report::Sink& out, const Finding& f, const Palette& p, bool baseline, const std::vector<RuleInfo>& rules) {
  const Location& loc = f.location;
  const std::string where = where_of(loc);
  out += fmt::format("{}: {} {}{}\n", p.paint("1", where),
                     p.paint(level_colour(f.level), fmt::format("{}[{}]", level_name(f.level), f.rule_id)),
                     baseline ? fmt::format("({}) ", baseline_state_name(f.baseline)) : std::string{},
                     text::printable(f.message));
  if (loc.column && !loc.snippet.empty()) {
    const std::string gutter = fmt::format("{:>5}", loc.line);
    out += fmt::format("{} | {}\n", p.paint("2", gutter), loc.snippet);
    out += fmt::format("{} | {}\n", std::string(gutter.size(), ' '),
                       p.paint(level_colour(f.level), caret_line(loc.snippet, loc)));
  }
  for (const RelatedLocation& r : f.related) {
    std::string note = text::printable(r.message);
    if (note.ends_with('.')) note.pop_back();
    const std::string at = fmt::format("{}:{}", text::printable(r.location.path), r.location.line);
    if (note.find(at) == std::string::npos) note += " (" + at + ")";
    out += fmt::format("      = {}\n", note);
  }
  if (const RuleInfo* rule = find_rule_in(rules, f.rule_id); rule && !rule->fix.empty()) {
    out += fmt::format("      = fix: {}\n", rule->fix);
  }
}

// A run of findings, formatted on its own: the heading of the first file
// it shows is kept apart, as the chunk before may show that file already.
struct TextChunk {
  bool shows = false;      // some finding is shown (not suppressed, not absent)
  std::string first_path;  // the path of the first finding shown
  std::string heading;     // first_path's heading
  report::Sink body;
  std::string last_path;
  size_t suppressed = 0;
  size_t absent = 0;
  std::map<BaselineState, size_t> by_state;
};

void write_text_to(const Report& report, const TextStyle& style, report::Sink& out) {
  const std::vector<RuleInfo> rule_infos = rule_catalogue(report.custom_rules);
  const Palette p{style.color};
  std::string current_file;
  size_t suppressed = 0, absent = 0;
  std::map<BaselineState, size_t> by_state;
  const auto format = [&](const Finding& f, TextChunk& chunk) {
    if (f.baseline == BaselineState::absent) {
      ++chunk.absent;
      return;
    }
    if (f.suppressed) {
      ++chunk.suppressed;
      return;
    }
    ++chunk.by_state[f.baseline];
    if (style.quiet) {
      chunk.body += fmt::format("{}: {}[{}] {}\n", where_of(f.location), level_name(f.level), f.rule_id,
                                text::printable(f.message));
      return;
    }
    if (!chunk.shows) {
      chunk.shows = true;
      chunk.first_path = chunk.last_path = f.location.path;
      chunk.heading = p.paint("1;4", text::printable(f.location.path)) + "\n";
    } else if (f.location.path != chunk.last_path) {
      chunk.last_path = f.location.path;
      chunk.body += p.paint("1;4", text::printable(chunk.last_path)) + "\n";
    }
    write_finding(chunk.body, f, p, report.baseline_applied, rule_infos);
    chunk.body += '\n';
  };
  const auto write = [&](TextChunk& chunk) {
    suppressed += chunk.suppressed;
    absent += chunk.absent;
    for (const auto& [state, n] : chunk.by_state) by_state[state] += n;
    if (chunk.shows && chunk.first_path != current_file) out += chunk.heading;
    out += chunk.body.take();
    if (chunk.shows) current_file = std::move(chunk.last_path);
  };
  report::findings_in_order<TextChunk>(report.findings, report.findings.size(), kFindingsPerChunk, report.jobs, format,
                                       write);
  const Summary s = summarise(report);
  if (style.statistics) {
    out += fmt::format("{:<6} {:<26} {:>5}\n", "RULE", "NAME", "COUNT");
    for (const auto& [id, n] : s.findings_by_rule) {
      const RuleInfo* info = find_rule_in(rule_infos, id);
      out += fmt::format("{:<6} {:<26} {:>5}\n", id, info ? info->name : std::string_view("custom"), n);
    }
  }
  if (style.quiet) return;
  std::string kinds;
  for (const auto& [kind, count] : s.files_by_kind) {
    if (!kinds.empty()) kinds += ", ";
    kinds += fmt::format("{} {}", kind, count);
  }
  out += fmt::format("{} {}: {} files ({}), {} audited, {} not audited\n",
                     p.paint("1", "Audited"), text::printable(report.package), s.files, kinds, s.audited,
                     s.not_audited);
  auto count = [&](Level l) {
    const auto it = s.findings_by_level.find(l);
    return it == s.findings_by_level.end() ? uint64_t{0} : it->second;
  };
  out += fmt::format("Findings: {} error{}, {} warning{}, {} note{}", count(Level::error),
                     count(Level::error) == 1 ? "" : "s", count(Level::warning),
                     count(Level::warning) == 1 ? "" : "s", count(Level::note), count(Level::note) == 1 ? "" : "s");
  if (suppressed) out += fmt::format("; {} suppressed inline", suppressed);
  out += "\n";
  if (report.baseline_applied) {
    out += fmt::format("{} new, {} unchanged, {} updated, {} fixed (baseline)\n", by_state[BaselineState::new_],
                       by_state[BaselineState::unchanged], by_state[BaselineState::updated], absent);
  }
  if (!s.findings_by_rule.empty()) {
    std::string rules;
    for (const auto& [id, n] : s.findings_by_rule) {
      if (!rules.empty()) rules += ", ";
      const RuleInfo* info = find_rule_in(rule_infos, id);
      rules += fmt::format("{} {} {}", id, info ? info->name : std::string_view("custom"), n);
    }
    out += fmt::format("By rule: {}\n", rules);
  }
  for (const SigningSummary& sig : report.signing) {
    out += fmt::format("Signature: {} ({}){}: {}\n", sig.form, text::printable(sig.signature),
                       sig.signer.empty() ? std::string{} : fmt::format(" by {}", text::printable(sig.signer)),
                       sig.verified ? "verified" : sig.trusted ? "does not verify" : "not trusted");
    if (!sig.fingerprint.empty()) out += fmt::format("  signer SHA-256: {}\n", sig.fingerprint);
    for (const std::string& link : sig.chain) out += fmt::format("  chain: {}\n", text::printable(link));
    out += fmt::format("  covers {} entr{}", sig.covered, sig.covered == 1 ? "y" : "ies");
    if (!sig.not_covered.empty()) {
      std::string list;
      for (const std::string& entry : sig.not_covered) list += (list.empty() ? "" : ", ") + text::printable(entry);
      out += fmt::format("; not covered: {}", list);
    }
    out += "\n";
  }
  if (report.signing.empty()) out += "Signature: none\n";
  if (s.not_audited) {
    out += "Not audited:\n";
    for (size_t i = report.package_is_archive ? 1 : 0; i < report.artifacts.size(); ++i) {
      const Artifact& a = report.artifacts[i];
      if (a.audited) continue;
      out += fmt::format("  {} ({}): {}\n", text::printable(a.path), file_kind_name(a.kind),
                         text::printable(a.not_audited_reason));
    }
  }
}

}  // namespace

std::string render_text(const Report& report, const TextStyle& style) {
  report::Sink out;
  write_text_to(report, style, out);
  return out.take();
}

bool write_text(const Report& report, const TextStyle& style, std::FILE* file) {
  report::Sink out(file);
  write_text_to(report, style, out);
  return out.finish();
}

}  // namespace pkgaudit
