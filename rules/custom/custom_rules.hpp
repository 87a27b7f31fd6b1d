// Rules from the configuration ([[custom-rules]]): four kinds of match, run
// over the same package model as the built-in rules.
#pragma once

#include <vector>

#include "package/package.hpp"
#include "pkgaudit/custom_rule.hpp"
#include "pkgaudit/finding.hpp"
#include "pkgaudit/rule_info.hpp"

namespace pkgaudit::rules {

// The rule's metadata; the views point into `rule`.
RuleInfo custom_rule_info(const CustomRule& rule);

// Adds the findings of every rule in `selected` to `out`.
void run_custom_rules(const model::Package& package, const std::vector<const CustomRule*>& selected,
                      std::vector<Finding>& out);

}  // namespace pkgaudit::rules
