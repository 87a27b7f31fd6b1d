#include <fmt/format.h>

#include "parse/shell/wrappers.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Finds `sudo`, `su`, `doas`, `pkexec` and `runuser` in package scripts, cron
commands and systemd `Exec*=` lines, including behind wrappers (`env sudo`,
`timeout 60 sudo`) and inside `bash -c '...'` strings.

## Why is this bad?
An upgrade script that calls `sudo` assumes the account running it has sudo
rights, and without `-n` sudo stops to ask for a password: a non-interactive
upgrade hangs until it times out, or fails half-way. `su` asks for the target
account's password unless it already runs as root, `pkexec` needs a polkit
agent that a CI job or a deployment tool does not have, and `runuser` only
works as root. Whether the upgrade runs as root is the operator's decision;
the script should state what it needs and check it, not escalate on its own.

## Example
```sh
sudo systemctl restart dten-legacy-sync.service
su - postgres -c "psql -f migrate.sql"
```

## Use instead
```sh
if [ "$(id -u)" -ne 0 ]; then
  echo "run this upgrade as root" >&2
  exit 1
fi
systemctl restart dten-sync.service
runuser -u postgres -- psql -f migrate.sql   # runuser is fine once root is checked
```
If escalation is truly needed, use `sudo -n` so that it fails at once
instead of waiting for a password, and document the sudoers rule required.
)md";

std::string_view program(const shell::Word& w) {
  const std::string_view t = w.text;
  const size_t slash = t.rfind('/');
  return slash == std::string_view::npos ? t : t.substr(slash + 1);
}

std::string consequence(const shell::Command& cmd, std::string_view name) {
  if (name == "sudo" || name == "doas") {
    if (cmd.has_option('n', "--non-interactive")) {
      return fmt::format("`{} -n` fails at once when the account has no passwordless rule for it", name);
    }
    return fmt::format("without -n, {} prompts for a password and hangs or fails a non-interactive upgrade",
                       name);
  }
  if (name == "su") return "su prompts for the target account's password unless the script already runs as root";
  if (name == "pkexec") return "pkexec needs a polkit authentication agent, which a non-interactive upgrade has not";
  return "runuser works only as root, so the script silently assumes it runs as root";
}

std::string_view assumption(std::string_view name) {
  if (name == "sudo") return "assumes the account running the upgrade has sudo rights";
  if (name == "doas") return "assumes the account running the upgrade has doas rights";
  if (name == "su") return "assumes the upgrade can switch to another account";
  if (name == "pkexec") return "assumes polkit will authorise the upgrade";
  return "assumes the upgrade runs as root";
}

void check(const model::Package& package, FindingSink& sink) {
  for (const model::ScriptView& view : package.scripts) {
    const model::File& file = *view.file;
    for (const shell::Command* cmd : view.script->commands_named({"sudo", "su", "doas", "pkexec", "runuser"})) {
      const std::string_view name = program(cmd->name);
      std::string what = std::string(name);
      const shell::Unwrapped inner = shell::unwrap(*cmd);
      if (inner.kind == shell::Unwrapped::command) {
        what += " " + text::printable(cmd->args[inner.index].text);
      } else if (inner.kind == shell::Unwrapped::script_string) {
        what += " -c '...'";
      }
      std::string where;
      if (!cmd->wrappers.empty()) where = fmt::format(" (inside `{}`)", cmd->wrappers.back());
      else if (!view.origin.empty()) where = fmt::format(" (in {})", view.origin == "cron entry" ? "a cron entry" : view.origin);
      sink.report(file, cmd->span, fmt::format("`{}` {}{}: {}", what, assumption(name), where, consequence(*cmd, name)));
    }
  }
}

}  // namespace

extern const Rule PA201_assumed_sudo;
const Rule PA201_assumed_sudo{
    {.id = "PA201",
     .name = "assumed-sudo",
     .level = Level::warning,
     .summary = "sudo, su, doas, pkexec or runuser in package scripts, cron commands and Exec*= lines",
     .help = kHelp,
     .fix = "check for root once (`id -u`) and run the command directly; if escalation is needed, use `sudo -n`",
     .tags = {"privilege", "security"},
     .security_severity = 5.5},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
