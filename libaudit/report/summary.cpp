#include "report/summary.hpp"

#include "report/in_order.hpp"

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
  struct Counts {
    std::map<Level, uint64_t> by_level;
    std::map<std::string, uint64_t> by_rule;
  };
  report::findings_in_order<Counts>(
      report.findings, report.findings.size(), 4096, report.jobs,
      [](const Finding& f, Counts& counts) {
        if (f.suppressed || f.baseline == BaselineState::absent) return;
        ++counts.by_level[f.level];
        ++counts.by_rule[f.rule_id];
      },
      [&](Counts& counts) {
        for (const auto& [level, n] : counts.by_level) s.findings_by_level[level] += n;
        for (const auto& [rule, n] : counts.by_rule) s.findings_by_rule[rule] += n;
      });
  return s;
}

const RuleInfo* find_rule_in(const std::vector<RuleInfo>& rules, std::string_view id) {
  for (const RuleInfo& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace pkgaudit
