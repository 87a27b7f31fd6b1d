// Package names and contents are hostile bytes. Everything shown to a user
// (messages, snippets, terminal output) goes through these first.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pkgaudit::text {

// Decodes the code point at byte `i`: its length in bytes, or 0 when the
// bytes there are not UTF-8 (overlong forms and surrogates included).
size_t decode_utf8(std::string_view s, size_t i, uint32_t& cp);
void append_utf8(uint32_t cp, std::string& out);
// A UTF-8 continuation byte (10xxxxxx): it does not start a code point,
// which is how columns are counted.
inline bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Invalid UTF-8 becomes U+FFFD; valid text is unchanged.
std::string to_valid_utf8(std::string_view bytes);
// Whether to_valid_utf8 would leave `bytes` as they are.
bool is_valid_utf8(std::string_view bytes);

// As to_valid_utf8, and C0/C1 controls (ESC included) and bidirectional
// overrides become visible escapes such as "\x1b" and "<U+202E>". Tabs stay.
std::string printable(std::string_view bytes);

// Percent-encodes everything but unreserved characters and '/'.
std::string uri_escape(std::string_view path);

// SHA-256: the digest's bytes, and as lowercase hex.
std::array<unsigned char, 32> sha256(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

}  // namespace pkgaudit::text
