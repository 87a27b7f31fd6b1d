#pragma once

#include "pkgaudit/export.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pkgaudit/finding.hpp"

namespace pkgaudit {

// Everything a user reads about a rule comes from here: `pkgaudit rules`,
// `pkgaudit explain`, SARIF `tool.driver.rules[]` and the README table.
struct RuleInfo {
  std::string_view id;        // "PA201"
  std::string_view name;      // "assumed-sudo"
  Level level;                // default level
  std::string_view summary;   // one line: what it finds
  std::string_view help;      // markdown: what, why, example, use instead
  std::string_view fix;       // one line: what to do about a finding
  std::vector<std::string_view> tags;  // always includes a family tag
  double security_severity;   // 0.0-10.0, as GitHub code scanning reads it
};

// Every built-in rule, sorted by id.
PKGAUDIT_API std::span<const RuleInfo> rule_catalogue();
PKGAUDIT_API const RuleInfo* find_rule(std::string_view id);

struct CustomRule;
// The built-in rules followed by `custom` ones (their ids start with X, so
// the list stays sorted). Custom entries view into `custom`: keep it alive.
PKGAUDIT_API std::vector<RuleInfo> rule_catalogue(const std::vector<CustomRule>& custom);

}  // namespace pkgaudit
