// The shell model (tree-sitter-bash parse, command view, wrappers, re-parsed
// `bash -c` strings and heredocs) and custom-rule queries over it.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "parse/shell/query.hpp"
#include "parse/shell/shell_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  pkgaudit::Limits limits;
  limits.parse_milliseconds = 500;
  const auto script = pkgaudit::shell::parse_shell(text, limits);
  (void)script.commands.size();
  static const auto query = std::get<pkgaudit::shell::ShellQuery>(pkgaudit::shell::ShellQuery::compile(
      R"q((command name: (command_name) @n (#match? @n "^(sudo|curl)$") argument: (_) @a))q"));
  std::vector<pkgaudit::shell::QueryMatch> matches;
  (void)query.run(text, {}, limits, matches);
  return 0;
}
