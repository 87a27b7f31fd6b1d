#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "parse/unit/directives.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Checks unit files the way systemd reads them: unknown sections, unknown
keys in a known section (the key list is systemd's own, from
`systemd --dump-configuration-items` of systemd 252; `X-` keys and sections
are allowed), a section another unit type has, lines that are not
`Key=Value`, a service without `ExecStart=` (allowed only for `Type=oneshot`
with `ExecStop=` or `RemainAfterExit=`), more than one `ExecStart=` outside
`Type=oneshot`, relative executable paths, and invalid booleans, `Type=`,
`Restart=`, `KillMode=` and time span values.

## Why is this bad?
systemd logs a warning and ignores what it does not understand: a misspelt
`Restrat=always` means the service is never restarted, an unknown section
drops every key in it. A service without `ExecStart=`, or with a relative
executable path, is refused outright ("Unit configuration has fatal error,
unit will not be started").

## Example
```ini
[Service]
ExecStart=bin/dten-server --port 8080
Restart=sometimes
TimeoutStopSec=30 seconds please
```

## Use instead
```ini
[Service]
ExecStart=/opt/dten/bin/dten-server --port 8080
Restart=on-failure
TimeoutStopSec=30s
```
Check units with `systemd-analyze verify` in the vendor's build.
)md";

bool is_boolean(std::string_view v) {
  std::string s(v);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::array<std::string_view, 12> kValues{"1", "yes", "y", "true", "t", "on",
                                                            "0", "no",  "n", "false", "f", "off"};
  return std::find(kValues.begin(), kValues.end(), s) != kValues.end();
}

bool is_true(std::string_view v) {
  std::string s(v);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s == "1" || s == "yes" || s == "y" || s == "true" || s == "t" || s == "on";
}

// systemd.time(7): "infinity", or numbers each with an optional unit.
bool is_time_span(std::string_view v) {
  if (v == "infinity") return true;
  static constexpr std::array<std::string_view, 27> kUnits{
      "usec",    "us",     "\xC2\xB5s", "msec",   "ms",    "seconds", "second", "sec",  "s",
      "minutes", "minute", "min",       "m",      "hours", "hour",    "hr",     "h",    "days",
      "day",     "d",      "weeks",     "week",   "w",     "months",  "month",  "M",    "years"};
  size_t i = 0;
  bool any = false;
  while (i < v.size()) {
    while (i < v.size() && v[i] == ' ') ++i;
    if (i >= v.size()) break;
    const size_t num = i;
    while (i < v.size() && (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.')) ++i;
    if (i == num) return false;
    while (i < v.size() && v[i] == ' ') ++i;
    const size_t unit = i;
    while (i < v.size() && std::isalpha(static_cast<unsigned char>(v[i])) ) ++i;
    if (i < v.size() && static_cast<unsigned char>(v[i]) == 0xC2) i += 3;  // "µs"
    const std::string_view u = v.substr(unit, i - unit);
    if (!u.empty() && u != "year" && u != "y" && u != "M" &&
        std::find(kUnits.begin(), kUnits.end(), u) == kUnits.end()) {
      return false;
    }
    any = true;
  }
  return any;
}

std::optional<std::string> bad_value(std::string_view type, std::string_view key, std::string_view value) {
  if (value.empty()) return std::nullopt;  // an empty assignment resets
  if (type == "BOOLEAN" && !is_boolean(value)) {
    return fmt::format("{}={} is not a boolean (yes/no, true/false, on/off, 1/0): systemd ignores the setting", key,
                       text::printable(value));
  }
  if (type == "SECONDS" && !is_time_span(value)) {
    return fmt::format("{}={} is not a time span (such as 30s, 5min, 1h 30min, infinity): systemd ignores the setting",
                       key, text::printable(value));
  }
  auto one_of = [&](std::initializer_list<std::string_view> allowed, std::string_view what) -> std::optional<std::string> {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return std::nullopt;
    std::string list;
    for (std::string_view a : allowed) list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
    return fmt::format("{}={} is not a {} systemd knows ({}): systemd ignores the setting", key,
                       text::printable(value), what, list);
  };
  if (type == "SERVICETYPE") {
    return one_of({"simple", "exec", "forking", "oneshot", "dbus", "notify", "notify-reload", "idle"}, "service type");
  }
  if (type == "SERVICERESTART") {
    return one_of({"no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always"},
                  "restart policy");
  }
  if (type == "KILLMODE") return one_of({"control-group", "mixed", "process", "none"}, "kill mode");
  return std::nullopt;
}

// What the package's drop-ins add to the services of one name: the first
// two ExecStart= (all that is asked of them) and whether any sets
// ExecStop=. Found once per name: thousands of same-named units, each with
// thousands of drop-ins, would otherwise merge them all for every unit.
struct Setting {
  const model::File* file;  // the unit or a drop-in: where the assignment is
  const unit::Assignment* assignment;
};
struct FromDropins {
  std::vector<Setting> starts;
  bool stop = false;
};
using DropinMemo = std::map<std::string, FromDropins, std::less<>>;

const FromDropins& from_dropins(const model::Package& package, const std::string& name, DropinMemo& memo) {
  const auto [it, inserted] = memo.try_emplace(name);
  FromDropins& added = it->second;
  if (!inserted) return added;
  if (const auto d = package.dropins.find(name); d != package.dropins.end()) {
    for (const model::File* dropin : d->second) {
      if (!dropin->unit) continue;
      for (const unit::Assignment* a : dropin->unit->values("Service", "ExecStart")) {
        if (added.starts.size() < 2) added.starts.push_back({dropin, a});
      }
      added.stop = added.stop || !dropin->unit->values("Service", "ExecStop").empty();
    }
  }
  return added;
}

void check_unit(const model::Package& package, FindingSink& sink, const model::File& file, DropinMemo& memo) {
  const unit::UnitFile& u = *file.unit;
  const unit::Directives& directives = unit::Directives::get();
  for (const unit::Problem& p : u.problems) sink.report(file, p.span, p.message);

  const std::string_view own = unit::section_for_type(u.type);
  for (const unit::Section& s : u.sections) {
    if (s.name.starts_with("X-")) continue;
    if (!directives.has_section(s.name)) {
      sink.report(file, s.span,
                  fmt::format("unknown section [{}]: systemd ignores it and every key in it", text::printable(s.name)));
    } else if (s.name != "Unit" && s.name != "Install" && s.name != own) {
      sink.report(file, s.span,
                  fmt::format("[{}] does not belong in a .{} unit: systemd ignores it and every key in it", s.name,
                              u.type));
    }
  }
  for (const unit::Assignment& a : u.assignments) {
    const std::string_view section = u.section_of(a);
    if (!directives.has_section(section) || a.key.starts_with("X-")) continue;
    if (section != "Unit" && section != "Install" && section != own) continue;  // reported above
    const auto type = directives.type_of(section, a.key);
    if (!type) {
      const std::string suggestion = directives.suggest(section, a.key);
      sink.report(file, a.key_span,
                  fmt::format("unknown key '{}=' in [{}] (systemd 252): systemd ignores this line{}",
                              text::printable(a.key), section,
                              suggestion.empty() ? "" : fmt::format("; did you mean '{}='?", suggestion)));
      continue;
    }
    // Service timeouts have their own parser (OTHER) but take time spans too.
    const std::string_view value_type = *type == "OTHER" && a.key.ends_with("Sec") ? "SECONDS" : *type;
    if (auto problem = bad_value(value_type, a.key, a.value)) sink.report(file, a.value_span, *problem);
  }
  for (const unit::ExecLine& x : u.exec) {
    if (x.shell.commands.empty()) continue;
    const shell::Word& exe = x.shell.commands.front().name;
    if (!exe.is_static || exe.text.empty() || exe.text[0] == '/' || exe.text.find('/') == std::string::npos) continue;
    sink.report(file, exe.span,
                fmt::format("{}= runs '{}', a relative path: systemd requires an absolute path (or a bare program "
                            "name it looks up itself) and refuses to start the unit",
                            u.assignments[x.assignment].key, text::printable(exe.text)));
  }

  if (u.type != "service" || u.is_dropin) return;
  // Settings from drop-ins in the package merge onto the unit.
  const FromDropins& added = from_dropins(package, u.name, memo);
  std::vector<Setting> starts;
  for (const unit::Assignment* a : u.values("Service", "ExecStart")) starts.push_back({&file, a});
  starts.insert(starts.end(), added.starts.begin(), added.starts.end());
  // systemd's own checks (service_verify): Type=oneshot is implied when
  // neither Type= nor ExecStart= is set.
  const unit::Assignment* type = u.last("Service", "Type");
  const bool oneshot = type ? type->value == "oneshot" : starts.empty();
  const bool success_action = !u.values("Unit", "SuccessAction").empty();
  const unit::Assignment* remain = u.last("Service", "RemainAfterExit");
  const bool remains = remain && is_true(remain->value);
  const unit::Section* service = u.section("Service");
  const shell::Span where = service ? service->span : shell::Span{0, 0};
  if (starts.empty()) {
    if (!oneshot) {
      sink.report(file, where,
                  "the service has no ExecStart=, which only Type=oneshot services may omit: systemd refuses to "
                  "start it");
    } else if (u.values("Service", "ExecStop").empty() && !added.stop && !success_action) {
      sink.report(file, where, "the service has no ExecStart=, ExecStop= or SuccessAction=: systemd refuses to start it");
    } else if (!remains && !success_action) {
      sink.report(file, where,
                  "the service has no ExecStart= and no SuccessAction=, and not RemainAfterExit=yes: systemd "
                  "refuses to start it");
    }
  } else if (starts.size() > 1 && !oneshot) {
    sink.report(*starts[1].file, starts[1].assignment->key_span,
                "more than one ExecStart=, which only Type=oneshot services may have: systemd refuses to start it");
  }
}

void check(const model::Package& package, FindingSink& sink) {
  DropinMemo memo;
  for (const model::File* file : package.checked) {
    if (file->unit) check_unit(package, sink, *file, memo);
  }
}

}  // namespace

extern const Rule PA303_invalid_unit;
const Rule PA303_invalid_unit{
    {.id = "PA303",
     .name = "invalid-unit",
     .level = Level::error,
     .summary = "unknown section or key, missing ExecStart=, relative executable path, bad value in a unit file",
     .help = kHelp,
     .fix = "fix the unit as `systemd-analyze verify` reports it",
     .tags = {"services", "correctness"},
     .security_severity = 2.0},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
