// How the signing rules name a signer: subject, issuer and fingerprint, so
// the reviewer knows exactly which certificate to ask the vendor about.
#pragma once

#include <string>

#include <fmt/format.h>

#include "package/signing.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules::signing {

inline std::string signer_text(const model::SignatureCheck& c) {
  if (!c.has_signer) return "the signer's certificate is neither in the signature nor in --extra-chain";
  return fmt::format("signer '{}', issued by '{}', SHA-256 {}", text::printable(c.signer.subject),
                     text::printable(c.signer.issuer), c.signer.sha256);
}

}  // namespace pkgaudit::rules::signing
