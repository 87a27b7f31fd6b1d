// Package signatures, verified with OpenSSL against the operator's trust:
//  - JAR style: META-INF/MANIFEST.MF + META-INF/*.SF + *.RSA|*.EC|*.DSA,
//    checked as `jarsigner -verify` does (every entry digest, eagerly);
//  - a detached CMS/PKCS#7 signature over the whole zip (PACKAGE.zip.p7s or
//    .sig beside it, or --signature);
//  - a signed checksum list inside the package (SHA256SUMS, SHA512SUMS or
//    checksums.txt with a .p7s/.sig beside it).
// Certificates in the package or in the signature are untrusted
// intermediates, never roots.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "parse/shell/shell_model.hpp"
#include "pkgaudit/options.hpp"

namespace pkgaudit::model {

struct File;
struct Package;

struct CertificateInfo {
  std::string subject;
  std::string issuer;
  std::string sha256;           // fingerprint, hex with colons
  std::string key;              // "RSA 2048", "EC 256", "DSA 1024"
  std::string signature_algorithm;
  std::string not_before;
  std::string not_after;
  bool weak_key = false;        // RSA < 2048, DSA, EC < 224
  bool weak_signature = false;  // signed with SHA-1 or MD5
  bool has_eku = false;
  bool code_signing = false;    // EKU codeSigning (or anyExtendedKeyUsage)
};

// One covered (or not) entry of a signed manifest.
struct EntryCheck {
  std::string path;
  const File* listed_in = nullptr;  // the manifest or checksum file
  uint32_t line = 0;                // where it is listed (0: not listed)
  std::string algorithm;            // "SHA-256"
  enum Outcome { ok, mismatch, missing } outcome = ok;
};

struct SignatureCheck {
  enum Form { jar, detached_archive, checksum_list } form = jar;
  std::string form_name;            // "JAR-style signed manifest", ...
  const File* file = nullptr;       // the signature in the package; null when beside the zip
  std::string name;                 // "META-INF/DTEN.RSA", "SHA256SUMS.p7s", "pkg.zip.p7s"
  std::string parse_error;          // non-empty: not a CMS/PKCS#7 signature we can read
  bool verified = false;            // the full verification: signature, chain to a trusted root, time
  bool content_ok = false;          // the signature matches the signed bytes
  bool chain_trusted = false;       // the signer chains to a trusted root (ignoring key strength)
  std::string chain_error;          // OpenSSL's reason when not
  std::string last_issuer;          // issuer of the last certificate reached
  std::vector<CertificateInfo> chain;  // leaf first, as far as it was built
  bool has_signer = false;
  CertificateInfo signer;
  std::string digest_algorithm;     // of the signer info: "SHA256", "SHA1"
  bool expired = false;
  bool not_yet_valid = false;
  std::vector<std::string> weak_manifest_algorithms;  // "SHA1-Digest" in MANIFEST.MF
  std::vector<EntryCheck> entries;  // per-entry digests (JAR, checksum list)
  std::vector<std::string> manifest_problems;         // .SF does not match MANIFEST.MF
  std::vector<const File*> unsigned_entries;          // not covered by the manifest
  size_t covered = 0;
};

struct SigningInputs {
  std::string archive_path;         // the package on disk, for a detached signature beside it
  bool is_archive = false;
};

// Finds and verifies every signature of the package.
std::vector<SignatureCheck> check_signatures(const Package& package, const Options& options,
                                             const SigningInputs& inputs);

}  // namespace pkgaudit::model
