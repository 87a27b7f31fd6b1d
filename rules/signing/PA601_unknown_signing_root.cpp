#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/rule.hpp"
#include "rules/signing/signer_text.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Verifies each signature of the package (JAR-style `META-INF` manifest, a
signed `SHA256SUMS`, or a detached CMS signature beside the zip) and
reports a signer whose certificate chain ends at no root the operator
trusts: the system's trust store, or `--trust-store` / `[signing]
trust-store` when given. Certificates shipped in the package, in the
signature, or given with `--extra-chain` are used as untrusted
intermediates only, never as roots. The message names the signer's
subject, issuer and SHA-256 fingerprint and the issuer of the last
certificate reached: the root to ask the vendor about.

## Why is this bad?
A signature that chains to an unknown root proves only that someone with a
key signed the package. Vendors rotate CAs; when they do, the new chain has
to reach the operator through a channel they trust, not inside the package
it is meant to vouch for.

## Example
```
pkgaudit scan dten.zip
PA601 ... chains to no trusted root; the last certificate reached was issued by 'CN=DTEN Vendor Root CA G2'
```

## Use instead
Get the vendor's new root or intermediate through a trusted channel, check
its fingerprint with the vendor, and pass it:
```
pkgaudit scan dten.zip --extra-chain dten-release-ca-2026.pem     # intermediates
pkgaudit scan dten.zip --trust-store /etc/pkgaudit/roots/         # roots you decide to trust
```
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::SignatureCheck& c : package.signatures) {
    if (!c.parse_error.empty() || c.chain_trusted) continue;
    std::string message = fmt::format("the {} ({}) chains to no trusted root: {}", c.form_name, c.name,
                                      c.chain_error.empty() ? std::string("no chain could be built") : c.chain_error);
    if (!c.last_issuer.empty()) {
      message += fmt::format("; the last certificate reached was issued by '{}': ask the vendor for that root (or "
                             "its new chain) through a trusted channel",
                             text::printable(c.last_issuer));
    }
    message += "; " + signing::signer_text(c);
    signing::report_at_signature(sink, c, message);
  }
}

}  // namespace

extern const Rule PA601_unknown_signing_root;
const Rule PA601_unknown_signing_root{
    {.id = "PA601",
     .name = "unknown-signing-root",
     .level = Level::error,
     .summary = "the signer's chain ends at no trusted root",
     .help = kHelp,
     .fix = "obtain the vendor's root or chain through a trusted channel; pass it with --trust-store or --extra-chain",
     .tags = {"signing", "security"},
     .security_severity = 7.5},
    check, /*after_suppressions=*/false, /*whole_package=*/true};

}  // namespace pkgaudit::rules
