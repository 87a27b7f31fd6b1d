#include "rules/rule.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reads crontabs the way cron does and reports what cron would reject or
misread: out-of-range or malformed fields (`61` in the hour field, `*/0`,
a range that runs backwards, a month or day name cron does not know), a
step on a single value (`5/15` means only 5), a missing user field in a
system crontab (`/etc/cron.d`, `/etc/crontab`), a system-format line in a
user crontab, an unknown `@` macro, an unescaped `%` (cron cuts the command
there and feeds the rest to standard input), a last line with no newline
(cron ignores it), a line that is neither an entry, an environment setting
nor a comment, and a file in `cron.d` whose name cron skips (run-parts
naming: letters, digits, `_` and `-` only).

## Why is this bad?
cron does not fail loudly: it logs an error at load time (if anyone reads
that log) and the job never runs, or runs something else than intended.

## Example
```
15 61 * * * dten find /var/lib/dten/import -mtime +14 -delete
0 3 * * * /opt/dten/backup.sh --date=$(date +%F)
```

## Use instead
```
15 1 * * * dten find /var/lib/dten/import -mtime +14 -delete
0 3 * * * dten /opt/dten/backup.sh --date=$(date +\%F)
```
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (!file.crontab) continue;
    for (const cron::Problem& p : file.crontab->problems) sink.report(file, p.span, p.message);
  }
}

}  // namespace

extern const Rule PA305_invalid_cron_entry;
const Rule PA305_invalid_cron_entry{
    {.id = "PA305",
     .name = "invalid-cron-entry",
     .level = Level::error,
     .summary = "a crontab line that cron would reject or misread",
     .help = kHelp,
     .fix = "fix the field cron rejects; escape % as \\%; end the file with a newline",
     .tags = {"schedules", "correctness"},
     .security_severity = 2.0},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
