// Inline suppressions, applied centrally after every rule has run:
//   # pkgaudit: ignore[PA201,PA501] reason        (this line or the next)
//   -- pkgaudit: ignore[PA401] reason             (SQL)
//   # pkgaudit: ignore-file[PA304] reason         (at the top of a file)
// Archive-safety findings (PA1xx) cannot be suppressed inline: the package
// would be vouching for its own structure.
#pragma once

#include <string>
#include <vector>

#include "package/package.hpp"
#include "pkgaudit/finding.hpp"

namespace pkgaudit::audit {

// Finds every suppression comment in the package.
// The comments in this run's files (package.checked).
std::vector<model::Suppression> find_suppressions(const model::Package& package);

// Marks the findings each suppression covers, and the suppression as used.
void apply_suppressions(std::vector<model::Suppression>& suppressions, std::vector<Finding>& findings);

}  // namespace pkgaudit::audit
