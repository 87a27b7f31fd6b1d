// The entry point: audit a package (a zip file or a directory) and get a
// Report. Nothing is extracted to disk and nothing in the package is run.
#pragma once

#include "pkgaudit/export.hpp"

#include <string>
#include <string_view>

#include "pkgaudit/options.hpp"
#include "pkgaudit/report.hpp"
#include "pkgaudit/result.hpp"
#include "pkgaudit/rule_info.hpp"
#include "pkgaudit/version.hpp"

namespace pkgaudit {

// `path` is a zip file or a directory holding the unpacked package.
PKGAUDIT_API Result<Report> audit_path(const std::string& path, const Options& options);

// A zip held in memory; `display_name` names it in the report.
PKGAUDIT_API Result<Report> audit_zip_bytes(std::string_view zip_bytes, const std::string& display_name,
                               const Options& options);

}  // namespace pkgaudit
