#include <vector>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Flags package entries whose names are absolute (`/etc/cron.d/x`, `C:/x`,
`\\host\share\x`), climb out with `..`, use `\` as a separator, or contain
NUL, control characters or bidirectional overrides.

## Why is this bad?
An extracting tool that trusts entry names writes where the name points:
`../../etc/cron.d/job` lands outside the target directory ("zip slip").
Backslashes are separators to Windows extractors, and control characters or
a right-to-left override make a name display differently from what is
stored, hiding what a file really is. pkgaudit never extracts anything; it
reports the name and audits the entry under a safe, normalised name.

## Example
```
unzip -l package.zip
  ../../etc/cron.d/dten-import
```

## Use instead
```
unzip -l package.zip
  etc/cron.d/dten-import
```
Build the package from a directory with relative names only, for example
`cd pkgroot && zip -r ../package.zip .`
)md";

std::string describe(const std::vector<source::NameIssue>& issues) {
  std::string out;
  for (size_t i = 0; i < issues.size(); ++i) {
    if (i) out += i + 1 == issues.size() ? " and " : ", ";
    out += source::name_issue_text(issues[i]);
  }
  return out;
}

void check(const model::Package& package, FindingSink& sink) {
  for (const model::File& file : package.files) {
    const source::NameFlags& name = file.name;
    if (!name.any()) continue;
    const std::vector<source::NameIssue> issues = name.issues();
    const bool only_empty = issues.size() == 1 && issues[0] == source::NameIssue::empty;
    if (only_empty) continue;  // "./" and the like: harmless
    std::string consequence;
    if (name.climbs_out()) {
      consequence = "an extractor that trusts it writes outside the target directory (zip slip)";
    } else if (name.has(source::NameIssue::absolute) || name.has(source::NameIssue::drive_letter) ||
               name.has(source::NameIssue::unc_path)) {
      consequence = "an extractor that trusts it writes to that absolute location";
    } else {
      consequence = "extractors and viewers disagree on what this name means";
    }
    const std::string where = name.unnamed()
                                  ? std::string("it has no safe name and was not audited")
                                  : fmt::format("audited as '{}'", text::printable(file.path));
    sink.report_file(file, fmt::format("entry name '{}' {}: {}; {}", text::printable(file.stored_name()),
                                       describe(issues), consequence, where));
  }
}

}  // namespace

extern const Rule PA101_unsafe_entry_path;
const Rule PA101_unsafe_entry_path{
    {.id = "PA101",
     .name = "unsafe-entry-path",
     .level = Level::error,
     .summary = "absolute, '..', backslash, NUL or control-character entry names (zip slip)",
     .help = kHelp,
     .fix = "rebuild the package with relative, plain entry names",
     .tags = {"archive", "security"},
     .security_severity = 8.1},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
