#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "parse/shell/shell_model.hpp"
#include "pkgaudit/options.hpp"

struct TSTree;

namespace pkgaudit::shell {

// Parses `text` with tree-sitter-bash, bounded by limits.parse_milliseconds,
// and builds the command view. Never throws on any input.
ShellScript parse_shell(std::string_view text, const Limits& limits);

// As parse_shell, for text taken from another file (a cron command, an
// `ExecStart=` value): byte i of `text` sits at `offsets[i]` of that file,
// and offsets has one more entry for the end. Every span in the result is
// in the other file's coordinates.
ShellScript parse_shell_mapped(std::string_view text, const std::vector<uint32_t>& offsets, const Limits& limits);

// The bare tree-sitter tree of `text`, for custom queries; null when the
// parse hit limits.parse_milliseconds.
std::shared_ptr<TSTree> parse_tree(std::string_view text, const Limits& limits);

}  // namespace pkgaudit::shell
