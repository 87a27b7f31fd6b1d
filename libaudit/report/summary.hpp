#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "pkgaudit/report.hpp"
#include "pkgaudit/rule_info.hpp"

namespace pkgaudit {

struct Summary {
  std::map<std::string, uint64_t> files_by_kind;  // package files only, not the archive itself
  uint64_t files = 0;
  uint64_t audited = 0;
  uint64_t not_audited = 0;
  std::map<Level, uint64_t> findings_by_level;
  std::map<std::string, uint64_t> findings_by_rule;
};

Summary summarise(const Report& report);

// A rule's metadata among `rules` (rule_catalogue(report.custom_rules)), or null.
const RuleInfo* find_rule_in(const std::vector<RuleInfo>& rules, std::string_view id);

}  // namespace pkgaudit
