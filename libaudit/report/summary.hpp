#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "pkgaudit/report.hpp"

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

}  // namespace pkgaudit
