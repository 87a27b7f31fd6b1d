// pkgaudit's own JSON (docs/json-format.md): one object, versioned.
#include <fmt/format.h>

#include "pkgaudit/report.hpp"
#include "pkgaudit/rule_info.hpp"
#include "pkgaudit/version.hpp"
#include "report/json_writer.hpp"
#include "report/summary.hpp"
#include "text/utf8.hpp"

namespace pkgaudit {
namespace {

using report::key;
using report::str;
using report::Writer;

void location(Writer& w, const Location& loc) {
  key(w, "path");
  str(w, loc.path);
  key(w, "line");
  w.Uint(loc.line);
  key(w, "column");
  w.Uint(loc.column);
  key(w, "end_line");
  w.Uint(loc.end_line);
  key(w, "end_column");
  w.Uint(loc.end_column);
  key(w, "snippet");
  str(w, loc.snippet);
  key(w, "snippet_column");
  w.Uint(loc.snippet_column);
}

void finding(Writer& w, const Finding& f, const std::vector<RuleInfo>& rules, bool baseline_applied) {
  w.StartObject();
  key(w, "rule");
  str(w, f.rule_id);
  key(w, "name");
  const RuleInfo* info = find_rule_in(rules, f.rule_id);
  str(w, info ? info->name : std::string_view{});
  key(w, "level");
  str(w, level_name(f.level));
  key(w, "message");
  str(w, f.message);
  location(w, f.location);
  key(w, "fingerprint");
  str(w, f.fingerprint);
  key(w, "suppressed");
  w.Bool(f.suppressed);
  if (f.suppressed) {
    key(w, "justification");
    str(w, f.justification);
  }
  if (baseline_applied) {
    key(w, "baseline");
    str(w, baseline_state_name(f.baseline));
  }
  key(w, "related");
  w.StartArray();
  for (const RelatedLocation& r : f.related) {
    w.StartObject();
    key(w, "message");
    str(w, r.message);
    location(w, r.location);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void write_json_to(const Report& report, report::Sink& out) {
  const std::vector<RuleInfo> rules = rule_catalogue(report.custom_rules);
  Writer w(out);
  w.StartObject();
  key(w, "format");
  str(w, "pkgaudit-report");
  key(w, "version");
  w.Uint(1);
  key(w, "tool");
  w.StartObject();
  key(w, "name");
  str(w, "pkgaudit");
  key(w, "version");
  str(w, PKGAUDIT_VERSION_STRING);
  w.EndObject();
  key(w, "package");
  w.StartObject();
  key(w, "path");
  str(w, text::to_valid_utf8(report.package));  // the path as given: any bytes
  key(w, "archive");
  w.Bool(report.package_is_archive);
  w.EndObject();
  key(w, "rules_run");
  w.StartArray();
  for (const std::string& id : report.rules_run) str(w, id);
  w.EndArray();

  key(w, "findings");
  w.StartArray();
  report::findings_array(out, report.findings, report.findings.size(), report.jobs,
                         [&](Writer& element, const Finding& f) { finding(element, f, rules, report.baseline_applied); });
  w.EndArray();

  key(w, "files");
  w.StartArray();
  for (size_t i = report.package_is_archive ? 1 : 0; i < report.artifacts.size(); ++i) {
    const Artifact& a = report.artifacts[i];
    w.StartObject();
    key(w, "path");
    str(w, a.path);
    key(w, "kind");
    str(w, file_kind_name(a.kind));
    key(w, "size");
    w.Uint64(a.size);
    key(w, "audited");
    w.Bool(a.audited);
    if (!a.audited) {
      key(w, "reason");
      str(w, a.not_audited_reason);
    }
    w.EndObject();
  }
  w.EndArray();

  const Summary s = summarise(report);
  key(w, "summary");
  w.StartObject();
  key(w, "files");
  w.Uint64(s.files);
  key(w, "audited");
  w.Uint64(s.audited);
  key(w, "not_audited");
  w.Uint64(s.not_audited);
  key(w, "files_by_kind");
  w.StartObject();
  for (const auto& [kind, n] : s.files_by_kind) {
    key(w, kind);
    w.Uint64(n);
  }
  w.EndObject();
  key(w, "findings_by_level");
  w.StartObject();
  for (Level l : {Level::error, Level::warning, Level::note}) {
    key(w, level_name(l));
    const auto it = s.findings_by_level.find(l);
    w.Uint64(it == s.findings_by_level.end() ? 0 : it->second);
  }
  w.EndObject();
  key(w, "findings_by_rule");
  w.StartObject();
  for (const auto& [id, n] : s.findings_by_rule) {
    key(w, id);
    w.Uint64(n);
  }
  w.EndObject();
  w.EndObject();
  w.EndObject();
  if (!w.IsComplete()) throw std::logic_error("the JSON writer ended with an unclosed object");
}

}  // namespace

std::string render_json(const Report& report) {
  report::Sink out;
  write_json_to(report, out);
  return out.take();
}

bool write_json(const Report& report, std::FILE* file) {
  report::Sink out(file);
  write_json_to(report, out);
  return out.finish();
}

}  // namespace pkgaudit
