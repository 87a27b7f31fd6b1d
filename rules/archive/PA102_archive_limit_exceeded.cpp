#include <fmt/format.h>

#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports every entry a limit kept from being audited, and every script
whose `bash -c` strings nest deeper than pkgaudit follows (8 levels): beyond the entry
count, larger than the per-entry or total uncompressed size (counted by
pkgaudit itself while inflating, not taken from the archive's claims),
inflating beyond the compression ratio limit (1,032:1, deflate's maximum,
or 100:1 past 1 MiB), a name or path too long or too deep, an archive
nested deeper than pkgaudit opens (3 levels), too large or too slow to
parse, past the whole-run time limit, or encrypted. The finding
names the limit, its value and what was not audited; the rest of the
package is still audited. Limits are set under `[limits]` or with
`--max-*`, `--parse-timeout-ms` and `--run-timeout-s`.

It also reports what an independent reading of the zip's structure finds,
beside libzip's: end records and ZIP64 records that do not add up, a
central directory that runs past them, entries whose data overlap (an
overlapping-entry zip bomb), local headers whose name, method, sizes or
CRC disagree with the central directory, and data descriptors that
disagree. Such an entry is not audited: two extractors would not agree on
its content. Scripts and SQL files are read a second time when they are
parsed (pkgaudit does not hold every file's text for the whole run); one
whose bytes differ from the first reading is not audited either.

## Why is this bad?
A package that does not fit the limits is either hostile (a zip bomb, a
script built to stall parsers) or unusual enough to deserve a look. Unlike
scanners that report what they skipped as clean, pkgaudit says what it did
not read.

## Example
```
payload.bin   declares 1 KiB, inflates to 4 GiB
```

## Use instead
Ask the vendor why the entry is that large, or raise the limit on purpose:
`--max-entry-bytes 500000000`.
)md";

void check(const model::Package& package, FindingSink& sink) {
  // The archive as a whole, once.
  if (package.final_run) {
    for (const std::string& problem : package.archive_problems) {
      sink.report_package(fmt::format("the archive's structure is inconsistent: {}; entries may have been hidden from "
                                      "this audit",
                                      text::printable(problem)));
    }
  }
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (file.shell && file.shell->depth_limited) {
      sink.report_file(file, fmt::format("{}: `bash -c` strings and heredocs nested deeper than {} levels were not "
                                         "followed, so commands inside them were not audited",
                                         text::printable(file.path), package.options.limits.reparse_depth));
    }
    if (!file.rare().structure_problem.empty()) {
      sink.report_file(file, fmt::format("{} was not audited: {}; which content an extractor would write "
                                         "cannot be known, so extract and review it by hand",
                                         text::printable(file.path), text::printable(file.rare().structure_problem)));
    }
    if (file.rare().limit.empty()) continue;
    sink.report_file(file, fmt::format("{} was not audited: {} stopped it; review it by hand or raise the limit",
                                       text::printable(file.path), file.rare().limit));
  }
}

}  // namespace

extern const Rule PA102_archive_limit_exceeded;
const Rule PA102_archive_limit_exceeded{
    {.id = "PA102",
     .name = "archive-limit-exceeded",
     .level = Level::warning,
     .summary = "an entry or the archive exceeds a size, count or parse limit; what was not read is named",
     .help = kHelp,
     .fix = "review the entry by hand, or raise the limit on purpose",
     .tags = {"archive", "security"},
     .security_severity = 5.0},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
