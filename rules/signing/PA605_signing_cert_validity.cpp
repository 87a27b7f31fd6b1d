#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/rule.hpp"
#include "rules/signing/signer_text.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports a signing certificate that is expired or not yet valid at the
verification time (now, or `--verify-time` for a reproducible review), or
that is not meant for code signing: it has an extended key usage that
includes neither `codeSigning` nor `anyExtendedKeyUsage`.

## Why is this bad?
An expired certificate signs nothing its owner still vouches for; a TLS
server certificate used to sign software is a key used for something it
was not issued for, often one that lives on a web server.

## Example
```
X509v3 Extended Key Usage: TLS Web Server Authentication
```

## Use instead
Sign releases with a certificate issued for code signing
(`extendedKeyUsage = codeSigning`) and renew it before it expires.
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::SignatureCheck& c : package.signatures) {
    if (!c.parse_error.empty() || !c.has_signer) continue;
    auto report = [&](const std::string& message) { signing::report_at_signature(sink, c, message); };
    if (c.expired) {
      report(fmt::format("the signing certificate of {} expired on {}; {}", c.name, c.signer.not_after,
                         signing::signer_text(c)));
    }
    if (c.not_yet_valid) {
      report(fmt::format("the signing certificate of {} is not valid before {}; {}", c.name, c.signer.not_before,
                         signing::signer_text(c)));
    }
    if (!c.signer.code_signing) {
      report(fmt::format("the signing certificate of {} is not issued for code signing: its extended key usage lacks "
                         "codeSigning; {}",
                         c.name, signing::signer_text(c)));
    }
  }
}

}  // namespace

extern const Rule PA605_signing_cert_validity;
const Rule PA605_signing_cert_validity{
    {.id = "PA605",
     .name = "signing-cert-validity",
     .level = Level::error,
     .summary = "the signing certificate is expired, not yet valid, or lacks code signing use",
     .help = kHelp,
     .fix = "sign with a current certificate issued for code signing",
     .tags = {"signing", "security"},
     .security_severity = 6.0},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
