#include "package/signing.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "package/package.hpp"
#include "text/ascii.hpp"

namespace pkgaudit::model {
namespace {

std::string upper(std::string_view s) { return text::ascii_upper(s); }

namespace fs = std::filesystem;

// ---- OpenSSL handles ----
struct Free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(STACK_OF(X509)* p) const { sk_X509_pop_free(p, X509_free); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

std::string name_of(const X509_NAME* name) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string time_of(const ASN1_TIME* t) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), t);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

CertificateInfo describe(X509* cert) {
  CertificateInfo info;
  info.subject = name_of(X509_get_subject_name(cert));
  info.issuer = name_of(X509_get_issuer_name(cert));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  for (unsigned int i = 0; i < len; ++i) info.sha256 += fmt::format("{}{:02X}", i ? ":" : "", md[i]);
  const EVP_PKEY* key = X509_get0_pubkey(cert);
  const int bits = key ? EVP_PKEY_get_bits(key) : 0;
  const int id = key ? EVP_PKEY_get_base_id(key) : 0;
  const char* type = id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : id == EVP_PKEY_DSA ? "DSA"
                     : id == EVP_PKEY_ED25519 ? "Ed25519" : id == EVP_PKEY_ED448 ? "Ed448" : "key";
  info.key = fmt::format("{} {}", type, bits);
  info.weak_key = (id == EVP_PKEY_RSA && bits < 2048) || id == EVP_PKEY_DSA || (id == EVP_PKEY_EC && bits < 224);
  const int sig_nid = X509_get_signature_nid(cert);
  info.signature_algorithm = OBJ_nid2ln(sig_nid);
  int md_nid = NID_undef, pk_nid = NID_undef;
  if (OBJ_find_sigid_algs(sig_nid, &md_nid, &pk_nid)) info.weak_signature = md_nid == NID_sha1 || md_nid == NID_md5;
  info.not_before = time_of(X509_get0_notBefore(cert));
  info.not_after = time_of(X509_get0_notAfter(cert));
  const uint32_t xku = X509_get_extended_key_usage(cert);
  info.has_eku = (X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) != 0;
  info.code_signing = !info.has_eku || (xku & XKU_CODE_SIGN) || (xku & XKU_ANYEKU);
  return info;
}

std::vector<X509*> read_pem_certs(const std::string& bytes) {
  std::vector<X509*> out;
  Owned<BIO> bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.push_back(cert);
  ERR_clear_error();
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- verification of one CMS signature over some bytes ----

class Verifier {
 public:
  Verifier(const Package& package, const Options& options) : options_(options) {
    for (const std::string& path : options.extra_chain) {
      for (X509* c : read_pem_certs(slurp(path))) extra_.push_back(c);
    }
    // Certificates shipped in the package are untrusted intermediates.
    for (const File& f : package.files) {
      if (f.content && f.kind == FileKind::signature && f.content->find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
        for (X509* c : read_pem_certs(*f.content)) extra_.push_back(c);
      }
    }
  }
  ~Verifier() {
    for (X509* c : extra_) X509_free(c);
  }
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  void verify(SignatureCheck& check, const std::string& signature, const std::string& content) {
    Owned<BIO> sig_bio(BIO_new_mem_buf(signature.data(), static_cast<int>(signature.size())));
    Owned<CMS_ContentInfo> cms(d2i_CMS_bio(sig_bio.get(), nullptr));
    if (!cms) {
      ERR_clear_error();
      Owned<BIO> pem(BIO_new_mem_buf(signature.data(), static_cast<int>(signature.size())));
      cms.reset(PEM_read_bio_CMS(pem.get(), nullptr, nullptr, nullptr));
    }
    if (!cms) {
      ERR_clear_error();
      check.parse_error = "not a CMS/PKCS#7 signature";
      return;
    }
    Owned<STACK_OF(X509)> untrusted(sk_X509_new_null());
    for (X509* c : extra_) {
      X509_up_ref(c);
      sk_X509_push(untrusted.get(), c);
    }
    // The verdict: everything checked, nothing skipped.
    {
      Owned<X509_STORE> store = make_store(2);
      Owned<BIO> data(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
      check.verified = store && CMS_verify(cms.get(), untrusted.get(), store.get(), data.get(), nullptr,
                                           CMS_BINARY | CMS_DETACHED) == 1;
      ERR_clear_error();
    }
    // Diagnosis, to say why: does the signature match the bytes at all?
    {
      Owned<X509_STORE> store = make_store(0);
      Owned<BIO> data(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
      check.content_ok = CMS_verify(cms.get(), untrusted.get(), store.get(), data.get(), nullptr,
                                    CMS_BINARY | CMS_DETACHED | CMS_NO_SIGNER_CERT_VERIFY) == 1;
      ERR_clear_error();
    }
    // The signer and its chain.
    STACK_OF(X509)* embedded = CMS_get1_certs(cms.get());
    STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
    X509* signer = nullptr;
    if (infos && sk_CMS_SignerInfo_num(infos) > 0) {
      CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
      X509_ALGOR* dig = nullptr;
      CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &dig, nullptr);
      if (dig) {
        const ASN1_OBJECT* obj = nullptr;
        X509_ALGOR_get0(&obj, nullptr, nullptr, dig);
        check.digest_algorithm = OBJ_nid2sn(OBJ_obj2nid(obj));
      }
      auto find_in = [&](STACK_OF(X509)* certs) {
        for (int i = 0; certs && i < sk_X509_num(certs); ++i) {
          if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0) return sk_X509_value(certs, i);
        }
        return static_cast<X509*>(nullptr);
      };
      signer = find_in(embedded);
      if (!signer) signer = find_in(untrusted.get());
    }
    for (int i = 0; embedded && i < sk_X509_num(embedded); ++i) {
      X509* c = sk_X509_value(embedded, i);
      X509_up_ref(c);
      sk_X509_push(untrusted.get(), c);
    }
    if (signer) {
      check.has_signer = true;
      check.signer = describe(signer);
      Owned<X509_STORE> store = make_store(0);
      Owned<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
      if (store && ctx && X509_STORE_CTX_init(ctx.get(), store.get(), signer, untrusted.get()) == 1) {
        const int ok = X509_verify_cert(ctx.get());
        const int err = X509_STORE_CTX_get_error(ctx.get());
        check.chain_trusted = ok == 1;
        if (!check.chain_trusted) check.chain_error = X509_verify_cert_error_string(err);
        check.expired = err == X509_V_ERR_CERT_HAS_EXPIRED;
        check.not_yet_valid = err == X509_V_ERR_CERT_NOT_YET_VALID;
        if (check.expired || check.not_yet_valid) {
          // Time is the only problem: the trust question is answered apart.
          Owned<X509_STORE> timeless = make_store(0, true);
          Owned<X509_STORE_CTX> again(X509_STORE_CTX_new());
          if (X509_STORE_CTX_init(again.get(), timeless.get(), signer, untrusted.get()) == 1) {
            check.chain_trusted = X509_verify_cert(again.get()) == 1;
            if (check.chain_trusted) check.chain_error.clear();
          }
        }
        Owned<STACK_OF(X509)> chain(X509_STORE_CTX_get1_chain(ctx.get()));
        for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i) check.chain.push_back(describe(sk_X509_value(chain.get(), i)));
        if (!check.chain.empty()) check.last_issuer = check.chain.back().issuer;
      }
      ERR_clear_error();
      // The leaf's validity at the verification time, also when the chain failed earlier.
      const time_t now = when();
      if (X509_cmp_time(X509_get0_notAfter(signer), const_cast<time_t*>(&now)) < 0) check.expired = true;
      if (X509_cmp_time(X509_get0_notBefore(signer), const_cast<time_t*>(&now)) > 0) check.not_yet_valid = true;
    }
    sk_X509_pop_free(embedded, X509_free);
  }

 private:
  time_t when() const { return options_.verify_time ? static_cast<time_t>(options_.verify_time) : std::time(nullptr); }

  // auth_level 2 rejects weak keys and digests in the chain; the
  // diagnostic stores use 0 so that weakness and trust are told apart.
  Owned<X509_STORE> make_store(int auth_level, bool ignore_time = false) const {
    Owned<X509_STORE> store(X509_STORE_new());
    if (!store) return store;
    if (options_.trust_store.empty()) {
      X509_STORE_set_default_paths(store.get());
    } else if (fs::is_directory(options_.trust_store)) {
      for (const auto& e : fs::directory_iterator(options_.trust_store)) {
        if (e.is_regular_file()) X509_STORE_load_file(store.get(), e.path().c_str());
      }
    } else {
      X509_STORE_load_file(store.get(), options_.trust_store.c_str());
    }
    ERR_clear_error();
    // Code-signing certificates rarely carry S/MIME usage: the purpose is
    // checked by PA605 against the codeSigning extended key usage instead.
    X509_STORE_set_purpose(store.get(), X509_PURPOSE_ANY);
    X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
    X509_VERIFY_PARAM_set_auth_level(param, auth_level);
    if (ignore_time) X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
    else X509_VERIFY_PARAM_set_time(param, when());
    return store;
  }

  const Options& options_;
  std::vector<X509*> extra_;
};

// ---- manifests ----

std::string base64(const std::string& raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string hex(const std::string& raw) {
  std::string out;
  for (const unsigned char c : raw) out += fmt::format("{:02x}", c);
  return out;
}

const EVP_MD* md_for(std::string_view alg) {
  if (alg == "SHA-256") return EVP_sha256();
  if (alg == "SHA-384") return EVP_sha384();
  if (alg == "SHA-512") return EVP_sha512();
  if (alg == "SHA1" || alg == "SHA-1") return EVP_sha1();
  if (alg == "MD5") return EVP_md5();
  return nullptr;
}

std::string digest(std::string_view alg, std::string_view bytes) {
  const EVP_MD* md = md_for(alg);
  if (!md) return {};
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

// A JAR manifest section: its attributes (continuation lines joined) and
// its raw bytes, which the .SF digests.
struct Section {
  std::map<std::string, std::string> attributes;
  std::string raw;
  uint32_t line = 0;
};

std::vector<Section> parse_manifest(std::string_view text) {
  std::vector<Section> out;
  Section current;
  std::string last_key;
  size_t pos = 0;
  uint32_t line_no = 0;
  bool started = false;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    const size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
    const std::string_view raw = text.substr(pos, next - pos);
    pos = next;
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    current.raw += raw;
    if (line.empty()) {
      if (started) out.push_back(std::move(current));
      current = Section{};
      started = false;
      continue;
    }
    if (!started) current.line = line_no;
    started = true;
    if (line.starts_with(' ')) {
      if (!last_key.empty()) current.attributes[last_key] += std::string(line.substr(1));
      continue;
    }
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    last_key = std::string(line.substr(0, colon));
    current.attributes[last_key] = std::string(line.substr(colon + 2));
  }
  if (started) out.push_back(std::move(current));
  return out;
}

const char* kDigestSuffix = "-Digest";


bool signature_related(std::string_view path) {
  if (!path.starts_with("META-INF/") || path.find('/', 9) != std::string_view::npos) return false;
  const std::string u = upper(std::string(path));
  return u == "META-INF/MANIFEST.MF" || u.ends_with(".SF") || u.ends_with(".RSA") || u.ends_with(".DSA") ||
         u.ends_with(".EC") || u.starts_with("META-INF/SIG-");
}

class Checker {
 public:
  Checker(const Package& package, const Options& options, const SigningInputs& inputs)
      : package_(package), options_(options), inputs_(inputs), verifier_(package, options) {}

  std::vector<SignatureCheck> run() {
    jar();
    checksum_lists();
    detached();
    return std::move(out_);
  }

 private:
  const File* file(std::string_view path) const {
    for (const File& f : package_.files) {
      if (f.path == path) return &f;
    }
    return nullptr;
  }

  static std::string_view content(const File* f) { return f && f->content ? std::string_view(*f->content) : std::string_view{}; }

  std::string entry_digest(const File& f, std::string_view alg) const {
    const auto it = f.rare().digests.find(std::string(alg));
    return it == f.rare().digests.end() ? std::string{} : it->second;
  }

  void uncovered(SignatureCheck& check, const std::set<std::string>& covered, const std::set<std::string>& ignore) {
    for (const File& f : package_.files) {
      if (f.kind == FileKind::directory || f.name.is_directory()) continue;
      if (covered.count(f.path) || ignore.count(f.path)) continue;
      if (f.path.find("!/") != std::string::npos) continue;  // inside a nested archive: covered through it
      check.unsigned_entries.push_back(&f);
    }
  }

  void jar() {
    const File* manifest = file("META-INF/MANIFEST.MF");
    for (const File& f : package_.files) {
      const std::string u = upper(f.path);
      if (!signature_related(f.path) || !(u.ends_with(".RSA") || u.ends_with(".DSA") || u.ends_with(".EC"))) continue;
      SignatureCheck check;
      check.form = SignatureCheck::jar;
      check.form_name = "JAR-style signed manifest";
      check.file = &f;
      check.name = f.path;
      const std::string sf_path = f.path.substr(0, f.path.rfind('.')) + ".SF";
      const File* sf = file(sf_path);
      if (!sf || !sf->content) {
        check.parse_error = fmt::format("{} has no {} to verify", f.path, sf_path);
        out_.push_back(std::move(check));
        continue;
      }
      verifier_.verify(check, std::string(content(&f)), std::string(content(sf)));
      if (!manifest || !manifest->content) {
        check.manifest_problems.push_back("META-INF/MANIFEST.MF is missing");
        out_.push_back(std::move(check));
        continue;
      }
      const std::string_view mf = content(manifest);
      const auto sections = parse_manifest(mf);
      const auto sf_sections = parse_manifest(content(sf));
      // Does the .SF vouch for the whole manifest, or section by section?
      bool whole = false;
      std::map<std::string, std::string> section_digest;  // name -> "ALG:base64"
      for (size_t i = 0; i < sf_sections.size(); ++i) {
        for (const auto& [key, value] : sf_sections[i].attributes) {
          if (i == 0 && key.ends_with("-Digest-Manifest")) {
            const std::string alg = key.substr(0, key.size() - 16);
            if (alg == "SHA1" || alg == "MD5") check.weak_manifest_algorithms.push_back(key + " in " + sf_path);
            if (base64(digest(alg, mf)) == value) whole = true;
          } else if (i > 0 && key.ends_with(kDigestSuffix) && sf_sections[i].attributes.count("Name")) {
            section_digest[sf_sections[i].attributes.at("Name")] = key.substr(0, key.size() - 7) + ":" + value;
          }
        }
      }
      // As jarsigner: an entry is signed only when the .SF names it, and its
      // manifest section is vouched for (whole manifest or section digest).
      std::set<std::string> covered, listed;
      for (size_t i = 1; i < sections.size(); ++i) {
        const Section& s = sections[i];
        const auto name_it = s.attributes.find("Name");
        if (name_it == s.attributes.end()) continue;
        const std::string& name = name_it->second;
        const auto sd = section_digest.find(name);
        if (sd == section_digest.end()) continue;  // not signed: PA606 reports it
        if (!whole) {
          const std::string alg = sd->second.substr(0, sd->second.find(':'));
          if (base64(digest(alg, s.raw)) != sd->second.substr(sd->second.find(':') + 1)) {
            check.manifest_problems.push_back(fmt::format("the manifest section of {} changed after signing", name));
            listed.insert(name);
            continue;
          }
        }
        for (const auto& [key, value] : s.attributes) {
          if (!key.ends_with(kDigestSuffix)) continue;
          const std::string alg = key.substr(0, key.size() - 7);
          if ((alg == "SHA1" || alg == "MD5") &&
              std::find(check.weak_manifest_algorithms.begin(), check.weak_manifest_algorithms.end(), key + " in META-INF/MANIFEST.MF") ==
                  check.weak_manifest_algorithms.end()) {
            check.weak_manifest_algorithms.push_back(key + " in META-INF/MANIFEST.MF");
          }
          EntryCheck e;
          e.path = name;
          e.listed_in = manifest;
          e.line = s.line;
          e.algorithm = alg;
          const File* entry = file(name);
          listed.insert(name);
          if (!entry) e.outcome = EntryCheck::missing;
          else if (base64(entry_digest(*entry, alg)) != value) e.outcome = EntryCheck::mismatch;
          else covered.insert(name);
          check.entries.push_back(std::move(e));
        }
      }
      check.covered = covered.size();
      std::set<std::string> ignore;
      for (const File& g : package_.files) {
        if (signature_related(g.path)) ignore.insert(g.path);
      }
      uncovered(check, listed, ignore);
      out_.push_back(std::move(check));
    }
  }

  void checksum_lists() {
    for (const std::string_view list_name : {"SHA256SUMS", "SHA512SUMS", "checksums.txt"}) {
      for (const File& list : package_.files) {
        const std::string_view base = std::string_view(list.path).substr(list.path.rfind('/') == std::string::npos ? 0 : list.path.rfind('/') + 1);
        if (base != list_name || !list.content) continue;
        const File* sig = file(list.path + ".p7s");
        if (!sig) sig = file(list.path + ".sig");
        if (!sig || !sig->content) continue;  // an unsigned checksum list proves nothing: PA602 decides
        SignatureCheck check;
        check.form = SignatureCheck::checksum_list;
        check.form_name = fmt::format("signed checksum list {}", list.path);
        check.file = sig;
        check.name = sig->path;
        verifier_.verify(check, *sig->content, *list.content);
        const std::string dir = list.path.rfind('/') == std::string::npos ? std::string{} : list.path.substr(0, list.path.rfind('/') + 1);
        std::set<std::string> covered, listed;  // a listed entry that differs is a mismatch, not unsigned
        std::string_view text = *list.content;
        uint32_t line_no = 0;
        while (!text.empty()) {
          const size_t eol = text.find('\n');
          std::string_view line = text.substr(0, eol);
          text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
          ++line_no;
          if (line.ends_with('\r')) line.remove_suffix(1);
          const size_t space = line.find(' ');
          if (space == std::string_view::npos || space < 32) continue;
          const std::string_view hex_digest = line.substr(0, space);
          std::string_view path = line.substr(space + 1);
          if (path.starts_with(' ') || path.starts_with('*')) path.remove_prefix(1);
          while (path.starts_with("./")) path.remove_prefix(2);
          const std::string alg = base == "SHA512SUMS" ? "SHA-512" : base == "SHA256SUMS" ? "SHA-256"
                                  : hex_digest.size() == 128 ? "SHA-512" : hex_digest.size() == 64 ? "SHA-256"
                                  : hex_digest.size() == 40 ? "SHA-1" : "MD5";
          if (alg == "SHA-1" || alg == "MD5") {
            const std::string note = fmt::format("{} digests in {}", alg, list.path);
            if (std::find(check.weak_manifest_algorithms.begin(), check.weak_manifest_algorithms.end(), note) == check.weak_manifest_algorithms.end()) {
              check.weak_manifest_algorithms.push_back(note);
            }
          }
          EntryCheck e;
          e.path = dir + std::string(path);
          e.listed_in = &list;
          e.line = line_no;
          e.algorithm = alg;
          const File* entry = file(e.path);
          listed.insert(e.path);
          if (!entry) e.outcome = EntryCheck::missing;
          else if (hex(entry_digest(*entry, alg)) != std::string(hex_digest)) e.outcome = EntryCheck::mismatch;
          else covered.insert(e.path);
          check.entries.push_back(std::move(e));
        }
        check.covered = covered.size();
        uncovered(check, listed, {list.path, sig->path});
        out_.push_back(std::move(check));
      }
    }
  }

  void detached() {
    if (!inputs_.is_archive) return;
    std::string sig_path = options_.signature_file;
    if (sig_path.empty()) {
      for (const char* ext : {".p7s", ".sig"}) {
        if (fs::exists(inputs_.archive_path + ext)) {
          sig_path = inputs_.archive_path + ext;
          break;
        }
      }
    }
    if (sig_path.empty()) return;
    SignatureCheck check;
    check.form = SignatureCheck::detached_archive;
    check.form_name = "detached CMS signature over the archive";
    check.name = fs::path(sig_path).filename().string();
    const std::string signature = slurp(sig_path);
    const std::string archive = slurp(inputs_.archive_path);
    verifier_.verify(check, signature, archive);
    check.covered = package_.files.size();
    out_.push_back(std::move(check));
  }

  const Package& package_;
  const Options& options_;
  const SigningInputs& inputs_;
  Verifier verifier_;
  std::vector<SignatureCheck> out_;
};

}  // namespace

std::vector<SignatureCheck> check_signatures(const Package& package, const Options& options, const SigningInputs& inputs) {
  return Checker(package, options, inputs).run();
}

}  // namespace pkgaudit::model
