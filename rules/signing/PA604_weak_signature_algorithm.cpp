#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/rule.hpp"
#include "rules/signing/signer_text.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports weak cryptography in a signature: an MD5 or SHA-1 digest in the
signature itself or in the signed manifest or checksum list
(`SHA1-Digest`, `MD5-Digest`, 40-hex-digit checksums), a certificate in the
chain signed with MD5 or SHA-1, an RSA key under 2048 bits, a DSA key, or
an EC key under 224 bits.

## Why is this bad?
SHA-1 and MD5 collisions are practical: a signature over a SHA-1 digest can
be made to vouch for different content. Short RSA and DSA keys are within
reach of well-funded attackers. OpenSSL's security level 2, which pkgaudit
verifies at, rejects them.

## Example
```
openssl cms -sign -md sha1 -in SHA256SUMS ...
```

## Use instead
```
openssl cms -sign -md sha256 -in SHA256SUMS -signer release.crt -inkey release.key ...   # RSA >= 2048 or EC P-256
```
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::SignatureCheck& c : package.signatures) {
    if (!c.parse_error.empty()) continue;
    std::vector<std::string> reasons;
    if (c.digest_algorithm == "SHA1" || c.digest_algorithm == "MD5") {
      reasons.push_back(fmt::format("the signature digests with {}", c.digest_algorithm));
    }
    for (const model::CertificateInfo& cert : c.chain.empty() && c.has_signer ? std::vector{c.signer} : c.chain) {
      if (cert.weak_key) reasons.push_back(fmt::format("'{}' has a {} key", text::printable(cert.subject), cert.key));
      if (cert.weak_signature) {
        reasons.push_back(fmt::format("'{}' is signed with {}", text::printable(cert.subject), cert.signature_algorithm));
      }
    }
    for (const std::string& m : c.weak_manifest_algorithms) reasons.push_back(m);
    if (reasons.empty()) continue;
    std::string joined;
    for (size_t i = 0; i < reasons.size(); ++i) joined += (i ? "; " : "") + reasons[i];
    const std::string message = fmt::format("the {} ({}) uses weak cryptography: {}; {}", c.form_name, c.name, joined,
                                            signing::signer_text(c));
    signing::report_at_signature(sink, c, message);
  }
}

}  // namespace

extern const Rule PA604_weak_signature_algorithm;
const Rule PA604_weak_signature_algorithm{
    {.id = "PA604",
     .name = "weak-signature-algorithm",
     .level = Level::warning,
     .summary = "MD5 or SHA-1 digests, RSA under 2048 bits, DSA, EC under 224 bits",
     .help = kHelp,
     .fix = "sign with SHA-256 or better and an RSA 2048+ or EC P-256+ key",
     .tags = {"signing", "security"},
     .security_severity = 5.0},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
