#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "package/package.hpp"
#include "package/shell_values.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Finds scripts that write to root-owned locations (`/etc`, `/usr`, `/opt`,
`/var/lib`, `/lib`, `/boot`, `/root`) with `>`, `>>`, `tee`, `cp`, `mv`,
`install`, `ln`, `chmod`, `chown`, `sed -i`, `mkdir`, `touch`, or that run
root-only commands (`systemctl start|stop|restart|enable|...`, `useradd`,
`groupadd`, `apt-get install`, `dpkg -i`, `chown`), without sudo and
without ever checking who they run as (`id -u`, `$EUID`, `$UID`,
`whoami`). Paths are followed through variables assigned once
(`conf=/etc/dten/features.conf; echo x >> "$conf"`).

Debian maintainer scripts (run as root by dpkg), and scripts that only
cron entries for root or units without `User=` run, are exempt.

## Why is this bad?
Run as the wrong user, such a script fails half-way with "Permission
denied", after its first steps have already changed the system; run as
root by habit, it hides which steps need privileges. A check at the top
makes the requirement explicit and the failure clean.

## Example
```sh
mkdir -p /etc/dten
echo "new_backoff=true" >> /etc/dten/features.conf
```

## Use instead
```sh
if [ "$(id -u)" -ne 0 ]; then
  echo "this step must run as root" >&2
  exit 1
fi
mkdir -p /etc/dten
echo "new_backoff=true" >> /etc/dten/features.conf
```
)md";

constexpr std::array<std::string_view, 7> kRootDirs{"/etc/", "/usr/", "/opt/", "/var/lib/", "/lib/", "/boot/", "/root/"};

bool root_owned(std::string_view path) {
  for (std::string_view dir : kRootDirs) {
    if (path.starts_with(dir) || path == dir.substr(0, dir.size() - 1)) return true;
  }
  return false;
}

bool maintainer_script(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (std::string_view s : {"preinst", "postinst", "prerm", "postrm", "config"}) {
    if (base == s && path.find("DEBIAN/") != std::string_view::npos) return true;
    if (base.size() > s.size() && base.ends_with(s) && base[base.size() - s.size() - 1] == '.') return true;
  }
  return false;
}

// Whether every run context runs the script as root.
bool only_run_as_root(const model::Package& package, const model::File& file) {
  const auto& contexts = package.contexts_of(file);
  if (contexts.empty()) return false;
  return std::all_of(contexts.begin(), contexts.end(), [](const model::RunContext& c) {
    if (c.by->crontab) {
      for (const cron::Entry& e : c.by->crontab->entries) {
        if (e.line_span.begin == c.span.begin) return e.user == "root";
      }
      return false;
    }
    return c.by->unit && !c.by->unit->last("Service", "User");
  });
}

bool checks_user(const model::File& file) {
  for (const shell::Command& c : file.shell->commands) {
    if (c.has_name("id") && c.has_option('u', "--user")) return true;
    if (c.has_name("whoami")) return true;
  }
  const std::string_view text = *file.content;
  for (std::string_view marker : {"EUID", "$UID", "${UID", "id -u"}) {
    if (text.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

struct Write {
  shell::Span span;
  std::string what;  // "writes /etc/x with tee", "runs systemctl restart"
};

void check(const model::Package& package, FindingSink& sink) {
  for (const model::ScriptView& view : package.scripts) {
    if (!view.origin.empty()) continue;  // script files only
    const model::File& file = *view.file;
    if (maintainer_script(file.path) || only_run_as_root(package, file) || checks_user(file)) continue;
    // Most scripts write nothing under a root directory: their values
    // (assignments, sourced files) are looked up only once a path is asked for.
    std::optional<model::ShellValues> values;
    std::vector<Write> writes;
    auto path_of = [&](const shell::Word& w) -> std::string {
      if (!values) values.emplace(package, view);
      const auto v = values->resolve(w);
      return v ? *v : std::string{};
    };
    for (const shell::Command& c : view.script->commands) {
      const bool escalated = std::any_of(c.wrappers.begin(), c.wrappers.end(), [](const std::string& w) {
        return w == "sudo" || w == "doas" || w == "pkexec" || w == "su" || w == "runuser";
      });
      if (escalated || !c.name.is_static) continue;
      if (c.has_name("sudo") || c.has_name("doas") || c.has_name("su") || c.has_name("pkexec") || c.has_name("runuser")) {
        continue;
      }
      for (const shell::Redirect& r : c.redirects) {
        if (r.op != ">" && r.op != ">>" && r.op != "&>" && r.op != ">|" && r.op != "&>>") continue;
        const std::string p = path_of(r.target);
        if (root_owned(p)) writes.push_back({r.target.span, fmt::format("writes {} with `{}`", p, r.op)});
      }
      const size_t slash = c.name.text.rfind('/');
      const std::string_view prog =
          slash == std::string::npos ? std::string_view(c.name.text) : std::string_view(c.name.text).substr(slash + 1);
      // Most commands are none of the programs below: their arguments
      // without flags are listed only when a branch asks for them.
      std::optional<std::vector<const shell::Word*>> listed;
      auto args = [&]() -> const std::vector<const shell::Word*>& {
        if (!listed) listed = shell::args_without_flags(c, prog == "install" ? "mogtS" : prog == "sed" ? "ef" : "");
        return *listed;
      };
      auto any_arg = [&](size_t from) {
        const auto& all = args();
        for (size_t i = from; i < all.size(); ++i) {
          const std::string p = path_of(*all[i]);
          if (root_owned(p)) {
            writes.push_back({all[i]->span, fmt::format("changes {} with `{}`", p, prog)});
            return;
          }
        }
      };
      if (prog == "tee" || prog == "mkdir" || prog == "touch") {
        any_arg(0);
      } else if (prog == "cp" || prog == "mv" || prog == "install" || prog == "ln") {
        if (!args().empty()) {
          const std::string p = path_of(*args().back());
          if (root_owned(p)) writes.push_back({args().back()->span, fmt::format("writes {} with `{}`", p, prog)});
        }
      } else if (prog == "chmod") {
        any_arg(1);
      } else if (prog == "chown" || prog == "chgrp") {
        writes.push_back({c.name.span, fmt::format("runs `{}`, which only root may do for other users' files", prog)});
      } else if (prog == "sed" && c.has_option('i', "--in-place")) {
        any_arg(1);
      } else if (prog == "useradd" || prog == "usermod" || prog == "userdel" || prog == "groupadd" || prog == "groupdel") {
        writes.push_back({c.name.span, fmt::format("runs `{}`, which needs root", prog)});
      } else if ((prog == "apt-get" || prog == "apt" || prog == "dpkg") && !args().empty() && args()[0]->is_static &&
                 (args()[0]->text == "install" || args()[0]->text == "remove" || args()[0]->text == "purge")) {
        writes.push_back({c.name.span, fmt::format("runs `{} {}`, which needs root", prog, args()[0]->text)});
      } else if (prog == "dpkg" && (c.has_option('i', "--install") || c.has_option('r', "--remove"))) {
        writes.push_back({c.name.span, "runs `dpkg -i`, which needs root"});
      } else if (prog == "systemctl" && !c.has_option('\0', "--user")) {
        const auto sargs = shell::args_without_flags(c, "tspHMno");
        const std::string verb = sargs.empty() || !sargs[0]->is_static ? std::string{} : sargs[0]->text;
        static constexpr std::array<std::string_view, 10> kRootVerbs{
            "start", "stop", "restart", "reload", "enable", "disable", "mask", "unmask", "daemon-reload", "try-restart"};
        if (std::find(kRootVerbs.begin(), kRootVerbs.end(), verb) != kRootVerbs.end()) {
          writes.push_back({c.name.span, fmt::format("runs `systemctl {}`, which needs root", verb)});
        }
      }
    }
    if (writes.empty()) continue;
    std::string more;
    if (writes.size() > 1) more = fmt::format(" (and {} more such step{})", writes.size() - 1, writes.size() > 2 ? "s" : "");
    sink.report(file, writes.front().span,
                fmt::format("the script {}{} without sudo and never checks who it runs as (id -u, $EUID): run as "
                            "another user it fails half-way with \"Permission denied\"; check for root at the top",
                            text::printable(writes.front().what), more));
  }
}

}  // namespace

extern const Rule PA202_unchecked_root_write;
const Rule PA202_unchecked_root_write{
    {.id = "PA202",
     .name = "unchecked-root-write",
     .level = Level::warning,
     .summary = "writes to root-owned paths (/etc, /usr, /var/lib, ...) in a script that never checks its user id",
     .help = kHelp,
     .fix = "check `id -u` at the top and fail with a clear message, or document the user the script needs",
     .tags = {"privilege", "correctness"},
     .security_severity = 3.5},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
