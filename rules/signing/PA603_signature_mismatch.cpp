#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/rule.hpp"
#include "rules/signing/signer_text.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports a signature that does not verify over what it signs (the `.SF`,
the checksum list, or the whole zip), a signed manifest whose sections no
longer match the `.SF`, and every entry whose digest differs from the one
in the signed manifest or checksum list, or that the manifest lists but
the package lacks. Entry digests are checked eagerly, as `jarsigner
-verify` does: every entry, not only those read later.

## Why is this bad?
A mismatch means the package changed after the vendor signed it: a
"hotfix" edited in place, a corrupted transfer, or tampering. Either way
the signature no longer vouches for what will run.

## Example
```
SHA256SUMS:12: docs/UPGRADE-NOTES.md does not match its SHA-256 digest
```

## Use instead
Get the package again from the vendor, or a newly signed one that includes
the change.
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::SignatureCheck& c : package.signatures) {
    auto at_signature = [&](const std::string& message) { signing::report_at_signature(sink, c, message); };
    if (!c.parse_error.empty()) {
      at_signature(fmt::format("the {} ({}) cannot be verified: {}", c.form_name, c.name, c.parse_error));
      continue;
    }
    if (!c.content_ok) {
      at_signature(fmt::format("the {} ({}) does not match the bytes it signs: they changed after signing; {}",
                               c.form_name, c.name, signing::signer_text(c)));
    }
    for (const std::string& problem : c.manifest_problems) {
      at_signature(fmt::format("{}: {}", c.name, problem));
    }
    for (const model::EntryCheck& e : c.entries) {
      if (e.outcome == model::EntryCheck::ok) continue;
      const std::string message =
          e.outcome == model::EntryCheck::mismatch
              ? fmt::format("{} does not match its {} digest in {}: the entry changed after signing",
                            text::printable(e.path), e.algorithm, e.listed_in->path)
              : fmt::format("{} is listed in {} but missing from the package", text::printable(e.path), e.listed_in->path);
      sink.report_line(*e.listed_in, e.line, message);
    }
  }
}

}  // namespace

extern const Rule PA603_signature_mismatch;
const Rule PA603_signature_mismatch{
    {.id = "PA603",
     .name = "signature-mismatch",
     .level = Level::error,
     .summary = "a signature or a per-entry digest does not verify",
     .help = kHelp,
     .fix = "get the package again, or a newly signed one; never run a package whose digests do not match",
     .tags = {"signing", "security"},
     .security_severity = 8.0},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
