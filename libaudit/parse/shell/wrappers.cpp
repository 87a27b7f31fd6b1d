#include "parse/shell/wrappers.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace pkgaudit::shell {
namespace {

struct OptionSpec {
  std::string_view valued_short;                   // letters whose option takes the next word
  std::initializer_list<std::string_view> valued_long;
  std::string_view script_short = {};              // letter whose value is a script (`su -c`)
  std::initializer_list<std::string_view> script_long = {};
  std::string_view no_command_short = {};          // letters meaning "runs nothing" (`command -v`)
  bool skip_assignments = false;                   // `sudo A=1 cmd`, `env A=1 cmd`
  int positionals_before_command = 0;              // `timeout DURATION cmd`, `flock FILE cmd`
  bool digit_options = false;                      // `nice -10 cmd`
};

bool is_assignment(std::string_view w) {
  const size_t eq = w.find('=');
  if (eq == 0 || eq == std::string_view::npos) return false;
  return std::all_of(w.begin(), w.begin() + static_cast<ptrdiff_t>(eq), [](char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

Unwrapped scan(const Command& cmd, const OptionSpec& spec, std::string label) {
  Unwrapped out;
  out.label = std::move(label);
  int positionals = spec.positionals_before_command;
  bool options_done = false;
  for (size_t i = 0; i < cmd.args.size(); ++i) {
    const Word& w = cmd.args[i];
    if (!w.is_static) {
      // A dynamic word where an option could be: we cannot tell what runs.
      if (!options_done && w.text.starts_with('-')) return {};
      if (positionals > 0) { --positionals; options_done = true; continue; }
      out.kind = Unwrapped::command;
      out.index = i;
      return out;
    }
    const std::string_view t = w.text;
    if (!options_done && t == "--") { options_done = true; continue; }
    if (!options_done && t.starts_with("--")) {
      const std::string_view key = t.substr(0, t.find('='));
      const bool has_value = t.find('=') != std::string_view::npos;
      if (std::find(spec.script_long.begin(), spec.script_long.end(), key) != spec.script_long.end()) {
        if (has_value) return {};  // `--command=...`: the script is not a word of its own
        if (i + 1 < cmd.args.size()) return {Unwrapped::script_string, i + 1, out.label};
        return {};
      }
      if (!has_value && std::find(spec.valued_long.begin(), spec.valued_long.end(), key) != spec.valued_long.end()) ++i;
      continue;
    }
    if (!options_done && t.size() > 1 && t[0] == '-') {
      if (spec.digit_options && t[1] >= '0' && t[1] <= '9') continue;
      for (size_t k = 1; k < t.size(); ++k) {
        const char c = t[k];
        if (spec.no_command_short.find(c) != std::string_view::npos) return {};
        if (spec.script_short.find(c) != std::string_view::npos) {
          if (k + 1 == t.size() && i + 1 < cmd.args.size()) return {Unwrapped::script_string, i + 1, out.label};
          return {};
        }
        if (spec.valued_short.find(c) != std::string_view::npos) {
          if (k + 1 == t.size()) ++i;  // value is the next word; otherwise attached
          break;
        }
      }
      continue;
    }
    if (t == "-") continue;  // `su - user`
    if (spec.skip_assignments && !options_done && is_assignment(t)) continue;
    if (positionals > 0) {
      --positionals;
      options_done = true;
      continue;
    }
    out.kind = Unwrapped::command;
    out.index = i;
    return out;
  }
  return {};
}

// `bash -c 'script'`, `sh -ec 'script'`, `bash script.sh`, `bash <<EOF`.
Unwrapped shell_invocation(const Command& cmd, std::string_view program) {
  bool saw_c = false;
  for (size_t i = 0; i < cmd.args.size(); ++i) {
    const Word& w = cmd.args[i];
    if (!w.is_static) return {};
    const std::string_view t = w.text;
    if (t == "-o" || t == "+o" || t == "-O" || t == "+O") { ++i; continue; }
    if (t == "--") continue;
    if (t.starts_with("--")) continue;  // --login, --norc, ...
    if ((t.starts_with('-') || t.starts_with('+')) && t.size() > 1) {
      if (t[0] == '-' && t.find('c') != std::string_view::npos) saw_c = true;
      continue;
    }
    if (saw_c) return {Unwrapped::script_string, i, std::string(program) + " -c"};
    return {};  // a script file: it is audited as its own entry
  }
  if (!saw_c && !cmd.heredocs.empty()) return {Unwrapped::stdin_script, 0, std::string(program) + " <<"};
  return {};
}

std::optional<Unwrapped> script_option(const Command& cmd, const std::string& label) {
  for (size_t i = 0; i + 1 < cmd.args.size(); ++i) {
    const Word& w = cmd.args[i];
    if (!w.is_static) continue;
    const std::string_view t = w.text;
    if (t == "--") break;
    const bool long_form = t == "--command" || t == "--session-command";
    const bool short_form = t.size() > 1 && t[0] == '-' && t[1] != '-' && t.back() == 'c' &&
                            t.find_first_not_of("-lmpfc") == std::string_view::npos;
    if (long_form || short_form) return Unwrapped{Unwrapped::script_string, i + 1, label};
  }
  return std::nullopt;
}

}  // namespace

Unwrapped unwrap(const Command& cmd) {
  if (!cmd.name.is_static) return {};
  std::string_view program = cmd.name.text;
  if (const size_t slash = program.rfind('/'); slash != std::string_view::npos) program = program.substr(slash + 1);

  static constexpr std::array<std::string_view, 7> kShells{"sh", "bash", "dash", "ksh", "ash", "zsh", "busybox"};
  if (std::find(kShells.begin(), kShells.end(), program) != kShells.end()) {
    if (program == "busybox") {
      if (!cmd.args.empty() && cmd.args[0].is_static && cmd.args[0].text == "sh") {
        Command rest = cmd;
        rest.args.erase(rest.args.begin());
        Unwrapped u = shell_invocation(rest, "sh");
        if (u.kind == Unwrapped::script_string) ++u.index;
        return u;
      }
      if (cmd.args.empty()) return {};  // `busybox` alone lists its applets
      return {Unwrapped::command, 0, "busybox"};
    }
    return shell_invocation(cmd, program);
  }
  const std::string label(program);
  if (program == "sudo") {
    return scan(cmd, {.valued_short = "ugCDprtUTR",
                      .valued_long = {"--user", "--group", "--close-from", "--chdir", "--prompt", "--role",
                                      "--type", "--other-user", "--command-timeout", "--chroot", "--host"},
                      .no_command_short = "elvkK",
                      .skip_assignments = true},
                label);
  }
  if (program == "doas") return scan(cmd, {.valued_short = "uC", .valued_long = {}}, label);
  if (program == "pkexec") return scan(cmd, {.valued_short = "", .valued_long = {"--user"}}, label);
  if (program == "su" || program == "runuser") {
    // GNU getopt permutes: `su - postgres -c 'x'` and `su -c 'x' postgres` alike.
    if (auto script = script_option(cmd, label)) return *script;
    if (program == "runuser" && cmd.has_option('u', "--user")) {
      return scan(cmd, {.valued_short = "ugGsw", .valued_long = {"--user", "--group", "--supp-group", "--shell"}},
                  label);
    }
    return {};  // a login shell, nothing to follow statically
  }
  if (program == "env") {
    return scan(cmd, {.valued_short = "uCS", .valued_long = {"--unset", "--chdir"}, .skip_assignments = true}, label);
  }
  if (program == "nohup" || program == "builtin" || program == "setsid" || program == "time") {
    return scan(cmd, {.valued_short = "", .valued_long = {}}, label);
  }
  if (program == "command") return scan(cmd, {.valued_short = "", .valued_long = {}, .no_command_short = "vV"}, label);
  if (program == "exec") return scan(cmd, {.valued_short = "a", .valued_long = {}}, label);
  if (program == "timeout") {
    return scan(cmd, {.valued_short = "ks", .valued_long = {"--kill-after", "--signal"}, .positionals_before_command = 1},
                label);
  }
  if (program == "nice") {
    return scan(cmd, {.valued_short = "n", .valued_long = {"--adjustment"}, .digit_options = true}, label);
  }
  if (program == "ionice") {
    return scan(cmd, {.valued_short = "cn", .valued_long = {"--class", "--classdata"}, .no_command_short = "pPu"}, label);
  }
  if (program == "stdbuf") return scan(cmd, {.valued_short = "ioe", .valued_long = {}}, label);
  if (program == "xargs") {
    return scan(cmd, {.valued_short = "adEILnPs",
                      .valued_long = {"--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args",
                                      "--max-procs", "--max-chars", "--process-slot-var"}},
                label);
  }
  if (program == "flock") {
    return scan(cmd, {.valued_short = "wE", .valued_long = {"--timeout", "--conflict-exit-code"},
                      .script_short = "c", .script_long = {"--command"}, .positionals_before_command = 1},
                label);
  }
  return {};
}

}  // namespace pkgaudit::shell
