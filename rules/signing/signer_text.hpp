// How the signing rules name a signer (subject, issuer and fingerprint, so the
// reviewer knows which certificate to ask the vendor about) and where they report.
#pragma once

#include <string>

#include <fmt/format.h>

#include "package/signing.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules::signing {

inline std::string signer_text(const model::SignatureCheck& c) {
  if (!c.has_signer) return "the signer's certificate is neither in the signature nor in --extra-chain";
  return fmt::format("signer '{}', issued by '{}', SHA-256 {}", text::printable(c.signer.subject),
                     text::printable(c.signer.issuer), c.signer.sha256);
}

// A signature that is a file in the package is reported on that file; one
// given with --signature (outside the package) is reported on the package.
inline void report_at_signature(FindingSink& sink, const model::SignatureCheck& c, const std::string& message) {
  if (c.file) sink.report_file(*c.file, message);
  else sink.report_package(message);
}

}  // namespace pkgaudit::rules::signing
