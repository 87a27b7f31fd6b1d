#include <fmt/format.h>

#include "parse/unit/calendar.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Lists every scheduled job the package installs: each crontab entry (with
its schedule in words and the user it runs as), each systemd timer (with
its `OnCalendar=` or monotonic triggers in words and the unit it starts),
and each script in `cron.hourly`, `cron.daily`, `cron.weekly` or
`cron.monthly`. When the job runs a script from the package, the message
names it.

## Why is this bad?
It is not wrong in itself, which is why the level is note: but a job that
arrives inside an upgrade package starts running on the next tick, under
the schedule the vendor chose, against hosts and paths the vendor assumed.
An embedded 03:00 import from a retired SFTP server fills logs and disks
long after the upgrade window closed. Every scheduled job should be a
decision, not a surprise.

## Example
```
# etc/cron.d/dten-import
0 3 * * * dten /opt/dten/scripts/import-data.sh
```

## Use instead
Review the job and record the decision: keep it, move it to the operator's
scheduler, or disable it before the upgrade. A reviewed job can be accepted
with an inline suppression that says why.
)md";

std::string what_it_runs(const model::Package& package, const shell::ShellScript& script) {
  for (const shell::Command& c : script.commands) {
    if (!c.name.is_static || c.name.text.find('/') == std::string::npos) continue;
    if (const model::File* f = package.resolve_script(c.name.text)) {
      return fmt::format("{} ({} in this package)", text::printable(c.name.text), f->path);
    }
  }
  return script.commands.empty() ? std::string("nothing") : text::printable(script.commands.front().name.text);
}

void check(const model::Package& package, FindingSink& sink) {
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (file.crontab) {
      for (const cron::Entry& e : file.crontab->entries) {
        sink.report(file, e.line_span,
                    fmt::format("installs a cron job that runs {}{}: {}", e.schedule,
                                e.user.empty() ? "" : fmt::format(" as {}", text::printable(e.user)),
                                e.shell ? what_it_runs(package, *e.shell) : text::printable(e.command)));
      }
    }
    if (file.unit && file.unit->type == "timer" && !file.unit->is_dropin) {
      const unit::UnitFile& t = *file.unit;
      const unit::Assignment* target = t.last("Timer", "Unit");
      const std::string started = target ? target->value : t.name.substr(0, t.name.size() - 6) + ".service";
      const unit::Section* timer = t.section("Timer");
      sink.report(file, timer ? timer->span : shell::Span{0, 0},
                  fmt::format("installs a timer that starts {} {}", text::printable(started), unit::describe_timer(t)));
    }
    if (file.kind == FileKind::shell && file.audited) {
      for (std::string_view period : {"hourly", "daily", "weekly", "monthly"}) {
        const std::string dir = fmt::format("cron.{}/", period);
        const size_t at = file.path.rfind(dir);
        if (at == std::string::npos || (at != 0 && file.path[at - 1] != '/') ||
            file.path.find('/', at + dir.size()) != std::string::npos) {
          continue;
        }
        sink.report_file(file, fmt::format("installs a job that cron runs {} (run-parts {})", period,
                                           file.path.substr(0, at + dir.size() - 1)));
      }
    }
  }
}

}  // namespace

extern const Rule PA304_embedded_cron_job;
const Rule PA304_embedded_cron_job{
    {.id = "PA304",
     .name = "embedded-cron-job",
     .level = Level::note,
     .summary = "the package installs a scheduled job; its schedule in words",
     .help = kHelp,
     .fix = "review the job: keep it, move it to the operator's scheduler, or disable it before the upgrade",
     .tags = {"schedules", "operations"},
     .security_severity = 1.0},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
