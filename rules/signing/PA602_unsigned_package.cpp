#include "package/package.hpp"
#include "rules/rule.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports a package that carries no signature in any form pkgaudit knows: a
JAR-style signed manifest (`META-INF/MANIFEST.MF`, `*.SF`, `*.RSA|EC|DSA`),
a signed checksum list (`SHA256SUMS`, `SHA512SUMS` or `checksums.txt` with
a `.p7s`/`.sig`), or a detached CMS signature beside the zip
(`PACKAGE.zip.p7s`, `.sig`, or `--signature FILE`). It is an error when
policy requires a signature (`--require-signature`, `[signing] require =
true`), a note otherwise.

## Why is this bad?
Without a signature nothing shows that the package is the one the vendor
built, unchanged since: a mirror, a proxy or a compromised download page
could have altered it.

## Example
```
dten-5.0.zip          # no META-INF signature, no SHA256SUMS.p7s, no dten-5.0.zip.p7s
```

## Use instead
Ask the vendor to sign releases, for example a detached CMS signature:
```
openssl cms -sign -binary -in dten-5.0.zip -signer release.crt -inkey release.key -outform DER -out dten-5.0.zip.p7s
```
)md";

void check(const model::Package& package, FindingSink& sink) {
  if (!package.signatures.empty()) return;
  const bool required = package.options.require_signature;
  sink.report_package(required ? "the package carries no signature in any form, and policy requires one: nothing "
                                 "shows it is the vendor's build, unchanged"
                               : "the package carries no signature in any form: nothing shows it is the vendor's "
                                 "build, unchanged (use --require-signature to make this an error)",
                      required ? Level::error : Level::note);
}

}  // namespace

extern const Rule PA602_unsigned_package;
const Rule PA602_unsigned_package{
    {.id = "PA602",
     .name = "unsigned-package",
     .level = Level::error,
     .summary = "no signature at all where policy requires one (a note otherwise)",
     .help = kHelp,
     .fix = "ask the vendor for a signed package, or a detached signature over it",
     .tags = {"signing", "security"},
     .security_severity = 6.0},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
