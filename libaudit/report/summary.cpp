#include "report/summary.hpp"

namespace pkgaudit {

Summary summarise(const Report& report) {
  Summary s;
  for (size_t i = report.package_is_archive ? 1 : 0; i < report.artifacts.size(); ++i) {
    const Artifact& a = report.artifacts[i];
    ++s.files;
    ++s.files_by_kind[file_kind_name(a.kind)];
    if (a.audited) ++s.audited;
    else ++s.not_audited;
  }
  for (const Finding& f : report.findings) {
    if (f.suppressed || f.baseline == BaselineState::absent) continue;
    ++s.findings_by_level[f.level];
    ++s.findings_by_rule[f.rule_id];
  }
  return s;
}

const RuleInfo* find_rule_in(const std::vector<RuleInfo>& rules, std::string_view id) {
  for (const RuleInfo& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace pkgaudit
