#include <fmt/format.h>

#include "rules/rule.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports a script, unit, crontab or SQL file that does not parse, at the
first syntax error. The rest of the file is still audited as far as the
parser recovered.

## Why is this bad?
A script that does not parse fails when the upgrade runs it, often half-way
through, after earlier steps have changed the system. It also means every
other rule saw only part of the file: commands near the error may be missed.

## Example
```sh
if systemctl is-active --quiet dten.service; then
  systemctl stop dten.service
# the closing `fi` is missing
```

## Use instead
```sh
if systemctl is-active --quiet dten.service; then
  systemctl stop dten.service
fi
```
Run `bash -n script.sh` (or `sh -n`) in the vendor's build.
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (file.sql && file.sql->error) {
      sink.report(file, file.sql->error->span,
                  fmt::format("SQL does not parse: {}; the database rejects the rest of this file",
                              file.sql->error->message));
    }
  }
  for (const model::EmbeddedSql* embedded : package.embedded_sql) {
    if (!embedded->script.error) continue;
    sink.report(*embedded->file, embedded->script.error->span,
                fmt::format("SQL does not parse: {}; the database rejects it", embedded->script.error->message));
  }
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (!file.shell || !file.shell->first_error) continue;
    const shell::SyntaxError& error = *file.shell->first_error;
    sink.report(file, error.span,
                fmt::format("shell syntax error: {}; the shell will reject this script, and commands "
                            "after this point may be missed by other rules",
                            error.message));
  }
}

}  // namespace

extern const Rule PA103_unparsable_file;
const Rule PA103_unparsable_file{
    {.id = "PA103",
     .name = "unparsable-file",
     .level = Level::error,
     .summary = "a script, unit, crontab or SQL file that does not parse; the error's location",
     .help = kHelp,
     .fix = "fix the syntax error; check scripts with `bash -n` in the vendor's build",
     .tags = {"archive", "correctness"},
     .security_severity = 4.0},
    check};

}  // namespace pkgaudit::rules
