// pkgaudit.toml: every key maps onto a field of Options (docs/config.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Sets one configuration key, named as in the file ("hosts.retired",
// "limits.entries", "rules.level"), from text: lists are comma-separated,
// booleans true/false, rules.level is "PA201=error,PA202=none". The same
// validation as the file; errors are ErrorCode::usage.
PKGAUDIT_API std::optional<Error> set_config_value(Options& options, std::string_view key, std::string_view value);

// Every key set_config_value takes, "section.key", in the file's order.
PKGAUDIT_API std::vector<std::string> config_keys();
// One line on what a key sets ("" for an unknown key), for command-line help.
PKGAUDIT_API std::string_view config_key_help(std::string_view key);

// The effective configuration as TOML, defaults included.
PKGAUDIT_API std::string render_config(const Options& options);

// A rule id, exactly: built-in, or one of `options`' custom rules.
PKGAUDIT_API bool is_rule_id(const Options& options, std::string_view id);
// An id or a family as [rules] select takes them: "PA201", "PA4", and "X"
// (or any prefix of custom ids) for custom rules.
PKGAUDIT_API bool is_rule_or_family(const Options& options, std::string_view id);

// Whether a rule runs under `options` (ids and families in select/disable).
PKGAUDIT_API bool rule_selected(const Options& options, std::string_view id);

}  // namespace pkgaudit
