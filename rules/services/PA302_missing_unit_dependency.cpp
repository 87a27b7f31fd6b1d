#include <array>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Checks the units a unit file names: `Requires=`, `Requisite=`, `Wants=`,
`BindsTo=`, `PartOf=`, `Upholds=`, `After=`, `Before=`, `OnFailure=`,
`OnSuccess=`, `Conflicts=` in `[Unit]`, `WantedBy=`/`RequiredBy=` in
`[Install]`, a timer's or path unit's `Unit=` (by default the same-named
`.service`) and a socket's `Service=`. Each must be installed by the package,
be on the target host (`--units-file`, `--known-unit`) or be a systemd
special unit. The finding points at the unit name in the value.

## Why is this bad?
`Requires=` or `BindsTo=` on a missing unit makes the start fail; a timer
whose unit does not exist never runs its job; `Wants=`, `After=` and
`WantedBy=` on a missing unit are silently ignored, so the ordering or the
activation the vendor intended does not happen.

## Example
```ini
[Unit]
Requires=dten-db.service      # shipped by 4.x, removed in 5.0
```

## Use instead
```ini
[Unit]
Requires=postgresql.service
After=postgresql.service
```
)md";

struct DependencyKey {
  std::string_view section;
  std::string_view key;
  std::string_view effect;
};

constexpr std::array<DependencyKey, 17> kKeys{{
    {"Unit", "Requires", "the unit fails to start"},
    {"Unit", "Requisite", "the unit fails to start"},
    {"Unit", "BindsTo", "the unit fails to start"},
    {"Unit", "Wants", "systemd ignores the dependency"},
    {"Unit", "PartOf", "systemd ignores the dependency"},
    {"Unit", "Upholds", "systemd ignores the dependency"},
    {"Unit", "After", "the ordering does nothing"},
    {"Unit", "Before", "the ordering does nothing"},
    {"Unit", "OnFailure", "nothing runs when the unit fails"},
    {"Unit", "OnSuccess", "nothing runs when the unit succeeds"},
    {"Unit", "Conflicts", "the conflict does nothing"},
    {"Install", "WantedBy", "enabling the unit links it into a target that never starts it"},
    {"Install", "RequiredBy", "enabling the unit links it into a unit that never starts it"},
    {"Timer", "Unit", "the timer has nothing to start"},
    {"Path", "Unit", "the path unit has nothing to start"},
    {"Socket", "Service", "connections have no service to go to"},
    {"Install", "Also", "enabling it does not enable the other unit"},
}};

void check_name(const model::Package& package, FindingSink& sink, const model::File& file,
                const unit::Assignment& a, std::string_view effect, size_t begin, size_t end) {
  const std::string name = a.value.substr(begin, end - begin);
  if (name.find_first_of("%$") != std::string::npos) return;  // specifiers and variables: dynamic
  if (package.units.find(name) != model::UnitIndex::Source::none) return;
  sink.report(file, {a.value_offsets[begin], a.value_offsets[end - 1] + 1},
              fmt::format("{}={} names a unit that is not installed by this package, not on the target host{} and "
                          "not a systemd special unit: {}",
                          a.key, text::printable(name),
                          package.units.has_inventory() ? "" : " (no inventory given: --units-file or --known-unit)",
                          effect));
}

void check(const model::Package& package, FindingSink& sink) {
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (!file.unit) continue;
    const unit::UnitFile& u = *file.unit;
    for (const unit::Assignment& a : u.assignments) {
      for (const DependencyKey& k : kKeys) {
        if (u.section_of(a) != k.section || a.key != k.key) continue;
        size_t i = 0;
        while (i < a.value.size()) {
          while (i < a.value.size() && (a.value[i] == ' ' || a.value[i] == '\t')) ++i;
          const size_t start = i;
          while (i < a.value.size() && a.value[i] != ' ' && a.value[i] != '\t') ++i;
          if (i > start) check_name(package, sink, file, a, k.effect, start, i);
        }
      }
    }
    // A timer or path unit without Unit= starts the same-named service.
    if ((u.type == "timer" || u.type == "path") && !u.is_dropin) {
      const std::string_view section = u.type == "timer" ? "Timer" : "Path";
      const unit::Section* s = u.section(section);
      if (s && !u.last(section, "Unit")) {
        const std::string target = u.name.substr(0, u.name.size() - u.type.size()) + "service";
        if (package.units.find(target) == model::UnitIndex::Source::none) {
          sink.report(file, s->span,
                      fmt::format("{} has no Unit=, so it starts {}, which is not installed by this package, not on "
                                  "the target host and not a systemd special unit: the {} has nothing to start",
                                  u.name, target, u.type));
        }
      }
    }
  }
}

}  // namespace

extern const Rule PA302_missing_unit_dependency;
const Rule PA302_missing_unit_dependency{
    {.id = "PA302",
     .name = "missing-unit-dependency",
     .level = Level::error,
     .summary = "Requires=, Wants=, BindsTo=, PartOf=, After=, Before=, OnFailure= or a timer's Unit= name an "
                "unknown unit",
     .help = kHelp,
     .fix = "name a unit the package installs or the host has, or drop the dependency",
     .tags = {"services", "correctness"},
     .security_severity = 3.0},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
