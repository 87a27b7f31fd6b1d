#include <fmt/format.h>

#include "package/unit_references.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Finds commands that name a systemd unit (`systemctl start|restart|enable|...`,
`service NAME ACTION`, `invoke-rc.d`, `deb-systemd-invoke`,
`deb-systemd-helper`, `journalctl -u`, `update-rc.d`) where the unit is
neither installed by the package, nor on the target host, nor one of the
special units every systemd host has (systemd.special(7)). `.service` is
implied when the name has no suffix, as systemctl does; template instances
(`foo@bar.service`) match their template (`foo@.service`).

The target host's units come from `--known-unit NAME` and `--units-file
FILE` (one unit a line, or the output of `systemctl list-unit-files`).
Dynamic names (`$UNIT`) and globs are never findings.

## Why is this bad?
Vendors rename units between releases. An upgrade script that restarts a
unit that no longer exists fails (`Unit dten-legacy-sync.service not
found.`), and under `set -e` stops half-way through the upgrade; without
`set -e` the step silently does nothing.

## Example
```sh
systemctl restart dten-legacy-sync.service   # renamed to dten-sync.service in 5.0
```

## Use instead
```sh
systemctl restart dten-sync.service
# or, when both releases must be handled:
if systemctl list-unit-files dten-legacy-sync.service >/dev/null; then
  systemctl restart dten-legacy-sync.service
fi
```
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::ScriptView& view : package.scripts) {
    for (const shell::Command& cmd : view.script->commands) {
      for (const model::UnitReference& ref : model::unit_references(cmd)) {
        if (package.units.find(ref.unit) != model::UnitIndex::Source::none) continue;
        std::string message = fmt::format(
            "`{} {}` names {}, which is not installed by this package, not on the target host{} and not a systemd "
            "special unit: the command fails with \"Unit {} not found\"",
            ref.tool, ref.verb, text::printable(ref.unit),
            package.units.has_inventory() ? "" : " (no inventory given: --units-file or --known-unit)",
            text::printable(ref.unit));
        const auto& contexts = package.contexts_of(*view.file);
        if (!contexts.empty()) message += fmt::format("; this script is {}", contexts.front().description);
        sink.report(*view.file, ref.word->span, std::move(message));
      }
    }
  }
}

}  // namespace

extern const Rule PA301_missing_unit;
const Rule PA301_missing_unit{
    {.id = "PA301",
     .name = "missing-unit",
     .level = Level::error,
     .summary = "systemctl, service, deb-systemd-invoke, invoke-rc.d or journalctl -u name a unit that is neither "
                "in the package nor on the target host",
     .help = kHelp,
     .fix = "use the unit's current name, ship the unit, or guard the call with `systemctl list-unit-files NAME`",
     .tags = {"services", "correctness"},
     .security_severity = 3.0},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
