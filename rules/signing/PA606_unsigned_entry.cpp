#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports every entry of a package with a signed manifest (JAR-style
`MANIFEST.MF`, or a signed `SHA256SUMS`/`SHA512SUMS`/`checksums.txt`) that
the manifest does not cover, other than the signature files themselves.

## Why is this bad?
An entry outside the manifest was added after signing, or never signed:
the signature says nothing about it, yet it is installed and run with the
rest. Attackers add files rather than change signed ones for exactly this
reason (`jarsigner` warns: "This jar contains unsigned entries").

## Example
```
keys/dten-deploy.key        # in the zip, not in SHA256SUMS
```

## Use instead
Get a package whose manifest lists every entry, or remove the entry and
ask the vendor why it was there.
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::SignatureCheck& c : package.signatures) {
    for (const model::File* f : c.unsigned_entries) {
      sink.report_file(*f, fmt::format("{} is not covered by the {} ({}): it was added after signing or never signed",
                                       text::printable(f->path), c.form_name, c.name));
    }
  }
}

}  // namespace

extern const Rule PA606_unsigned_entry;
const Rule PA606_unsigned_entry{
    {.id = "PA606",
     .name = "unsigned-entry",
     .level = Level::error,
     .summary = "an entry that the signed manifest does not cover",
     .help = kHelp,
     .fix = "get a package whose signed manifest covers every entry",
     .tags = {"signing", "security"},
     .security_severity = 7.0},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
