// Commands that run another command: `sudo X`, `env A=1 X`, `timeout 5 X`,
// `bash -c 'X'`, `su -c 'X'`, `bash <<EOF`. Knowing their options is what
// lets rules see the real command.
#pragma once

#include <cstddef>
#include <string>

#include "parse/shell/shell_model.hpp"

namespace pkgaudit::shell {

struct Unwrapped {
  enum Kind {
    none,           // not a wrapper, or a wrapper that runs nothing here (`command -v x`)
    command,        // the inner command's name is args[index]
    script_string,  // args[index] is a shell script to parse (`bash -c`, `su -c`)
    stdin_script,   // a shell reading its script from a heredoc
  } kind = none;
  size_t index = 0;
  std::string label;  // "sudo", "bash -c", ...
};

Unwrapped unwrap(const Command& command);

}  // namespace pkgaudit::shell
