#pragma once

#include <string_view>

#include "parse/shell/shell_model.hpp"
#include "pkgaudit/options.hpp"

namespace pkgaudit::shell {

// Parses `text` with tree-sitter-bash, bounded by limits.parse_milliseconds,
// and builds the command view. Never throws on any input.
ShellScript parse_shell(std::string_view text, const Limits& limits);

}  // namespace pkgaudit::shell
