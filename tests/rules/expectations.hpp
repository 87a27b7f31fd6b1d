// Inline expectations in fixture files, as STYLE.md describes:
//   sudo ls            # expect: PA201:1
//   # expect@+1: PA201:5
//   ALTER TABLE t ...; -- expect: PA401
// A column may be omitted (the finding's line and rule must still match).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pkgaudit/finding.hpp"

namespace pkgaudit::testing {

struct Expected {
  uint32_t line = 0;
  uint32_t column = 0;  // 0: any column
  std::string rule;
};

// Parses every `expect:` / `expect@+N:` / `expect@-N:` marker in `text`.
// Malformed markers are reported in `errors` (a typo must not pass silently).
std::vector<Expected> parse_expectations(std::string_view text, std::vector<std::string>& errors);

// Compares findings of one file with its expectations; every mismatch is a
// line of the result (empty: they agree exactly).
std::vector<std::string> compare_findings(const std::vector<Expected>& expected,
                                          const std::vector<Finding>& actual);

}  // namespace pkgaudit::testing
