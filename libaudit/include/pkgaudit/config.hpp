// pkgaudit.toml: every key maps onto a field of Options (docs/config.md).
#pragma once

#include <string>
#include <string_view>

#include "pkgaudit/export.hpp"
#include "pkgaudit/options.hpp"
#include "pkgaudit/result.hpp"

namespace pkgaudit {

// Reads a configuration file onto `base`. An unknown key, a wrong type or
// an unknown rule id is an Error naming the file, line and column and what
// was expected. Relative paths in the file are relative to its directory.
PKGAUDIT_API Result<Options> load_config_file(const std::string& path, Options base = {});
PKGAUDIT_API Result<Options> load_config_text(std::string_view toml, const std::string& name,
                                              const std::string& base_dir, Options base = {});

// The effective configuration as TOML, defaults included.
PKGAUDIT_API std::string render_config(const Options& options);

// Whether a rule runs under `options` (ids and families in select/disable).
PKGAUDIT_API bool rule_selected(const Options& options, std::string_view id);

}  // namespace pkgaudit
