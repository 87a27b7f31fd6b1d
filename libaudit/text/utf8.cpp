#include "text/utf8.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <cstdint>

namespace pkgaudit::text {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The length of the run of bytes from `i` that `keep` passes unchanged:
// nearly every byte of a report is plain ASCII and is copied a run at a
// time rather than decoded one by one.
template <typename Keep>
size_t run_of(std::string_view s, size_t i, Keep keep) {
  size_t j = i;
  while (j < s.size() && keep(static_cast<unsigned char>(s[j]))) ++j;
  return j - i;
}

bool is_ascii(unsigned char c) { return c < 0x80; }
bool is_printable_ascii(unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\t'; }

}  // namespace

size_t decode_utf8(std::string_view s, size_t i, uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) { cp = b0; return 1; }
  size_t len = 0;
  uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; min = 0x10000; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void append_utf8(uint32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}


std::string to_valid_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    if (const size_t run = run_of(bytes, i, is_ascii)) {
      out.append(bytes.substr(i, run));
      i += run;
      continue;
    }
    uint32_t cp = 0;
    const size_t len = decode_utf8(bytes, i, cp);
    if (len == 0) { out += kReplacement; ++i; continue; }
    out.append(bytes.substr(i, len));
    i += len;
  }
  return out;
}

bool is_valid_utf8(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    if (const size_t run = run_of(bytes, i, is_ascii)) {
      i += run;
      continue;
    }
    uint32_t cp = 0;
    const size_t len = decode_utf8(bytes, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string printable(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    if (const size_t run = run_of(bytes, i, is_printable_ascii)) {
      out.append(bytes.substr(i, run));
      i += run;
      continue;
    }
    uint32_t cp = 0;
    const size_t len = decode_utf8(bytes, i, cp);
    if (len == 0) { out += kReplacement; ++i; continue; }
    const bool control = (cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
    const bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
                      cp == 0x200E || cp == 0x200F || cp == 0x061C;
    if (control && cp < 0x100) {
      out += "\\x";
      out += kHex[cp >> 4];
      out += kHex[cp & 0xF];
    } else if (bidi) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(bytes.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string uri_escape(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::array<unsigned char, 32> sha256(std::string_view bytes) {
  std::array<unsigned char, 32> digest{};
  // Fetched once: with EVP_sha256() OpenSSL 3 looks the implementation up
  // again on every call, which costs more than hashing a finding's key.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), nullptr, md ? md : EVP_sha256(), nullptr);
  return digest;
}

std::string sha256_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const unsigned char byte : sha256(bytes)) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

}  // namespace pkgaudit::text
