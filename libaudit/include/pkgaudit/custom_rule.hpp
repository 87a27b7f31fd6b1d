// Rules an organisation writes in its configuration, without compiling:
// `[[custom-rules]]` in pkgaudit.toml (docs/library.md).
#pragma once

#include <string>
#include <vector>

#include "pkgaudit/finding.hpp"

namespace pkgaudit {

struct CustomRule {
  enum class Kind { shell_query, command, unit_key, host };
  std::string id;        // "X001": always starts with X, so never clashes with a built-in rule
  std::string name;      // "old-artifact-server"
  Level level = Level::warning;
  // `{placeholder}`s are filled from the match: `{path}` always; the query's
  // captures for shell-query; `{command}`, `{args}`, `{arg}` for command;
  // `{unit}`, `{section}`, `{key}`, `{value}` for unit-key; `{host}`, `{tool}` for host.
  std::string message;
  std::string help;      // markdown, shown by `pkgaudit explain` and in SARIF
  Kind kind = Kind::command;
  // shell-query: a tree-sitter query over the bash grammar; `@finding`
  // marks where the finding goes (else the match's first capture).
  std::string query;
  // command: a command name (or glob), seen through sudo, env, bash -c and
  // the other wrappers; every glob in `args` must match some argument.
  std::string command;
  std::vector<std::string> args;
  // unit-key: `Section`, `Key` and a glob over the value (empty: any).
  std::string section;
  std::string key;
  std::string value;
  // host: host patterns as in [hosts] retired (names, globs, IPs, CIDR).
  std::vector<std::string> hosts;
};

PKGAUDIT_API const char* custom_rule_kind_name(CustomRule::Kind kind) noexcept;  // "shell-query", ...

}  // namespace pkgaudit
