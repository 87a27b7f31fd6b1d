#include <fmt/format.h>

#include "rules/rule.hpp"
#include "source/entry_name.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports symlink entries (Unix mode `S_IFLNK` in a zip's external
attributes, or a symlink in an unpacked tree) with their target. A target
that is absolute or climbs out of the package is an error; one inside the
package is a warning. pkgaudit never follows a link.

## Why is this bad?
An extractor creates the link first; a later entry written "through" it
lands at the target: `cron.d -> /etc/cron.d` followed by `cron.d/evil`
installs a root cron job anywhere the package is unpacked.

## Example
```
cron.d -> /etc/cron.d
cron.d/evil
```

## Use instead
Ship files, not links, or links whose target stays inside the package.
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::File& file : package.files) {
    if (file.kind != FileKind::symlink) continue;
    const std::string& target = file.rare().link_target;
    const size_t slash = file.path.rfind('/');
    const std::string joined = (slash == std::string::npos ? std::string{} : file.path.substr(0, slash + 1)) + target;
    const source::NormalisedName resolved = source::normalise_entry_name(joined);
    const bool escapes = target.starts_with('/') || resolved.climbs_out || target.empty();
    sink.report_file(file,
                     escapes ? fmt::format("symlink entry -> '{}' points outside the package: an extractor that "
                                           "follows it writes later entries to that place",
                                           text::printable(target))
                             : fmt::format("symlink entry -> '{}': a link inside the package, not followed by pkgaudit",
                                           text::printable(target)),
                     escapes ? Level::error : Level::warning);
  }
}

}  // namespace

extern const Rule PA104_symlink_entry;
const Rule PA104_symlink_entry{
    {.id = "PA104",
     .name = "symlink-entry",
     .level = Level::error,
     .summary = "symlink entries, especially those pointing outside the package",
     .help = kHelp,
     .fix = "ship files instead of links, or links that stay inside the package",
     .tags = {"archive", "security"},
     .security_severity = 7.0},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
