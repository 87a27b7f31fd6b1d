#include <doctest/doctest.h>

#include "text/line_index.hpp"
#include "text/nfd.hpp"
#include "text/utf8.hpp"

using namespace pkgaudit::text;

TEST_CASE("line index: lines, code-point columns, CRLF") {
  const std::string s = "ab\r\nGröße x\n\nlast";
  LineIndex idx(s);
  CHECK(idx.line_count() == 4);
  CHECK(idx.line_text(1) == "ab");
  CHECK(idx.line_text(2) == "Größe x");
  CHECK(idx.line_text(3).empty());
  CHECK(idx.line_text(4) == "last");
  const auto x = idx.position(static_cast<uint32_t>(s.find('x')));
  CHECK(x.line == 2);
  CHECK(x.column == 7);  // G r ö ß e ' ' x: seven code points, nine bytes
  CHECK(idx.position(0).column == 1);
  CHECK(idx.position(static_cast<uint32_t>(s.size())).line == 4);
}

TEST_CASE("line index: columns on lines longer than a block are counted as on short ones") {
  // Multi-byte characters on both sides of the block edges, a short line
  // between long ones, and a text whose size is a whole number of blocks.
  for (const size_t size : {std::size_t{4096 * 3}, std::size_t{4096 * 5}, std::size_t{4096 * 5 + 17}}) {
    std::string s;
    for (size_t i = 0; s.size() < size; ++i) {
      if (i % 4999 == 0) s += "\nshort\n";  // lines of ~7,000 bytes
      else if (i % 3 == 0) s += "\xc3\xb6";  // ö
      else if (i % 5 == 0) s += "\xe2\x82\xac";  // €
      else s += 'a';
    }
    s.resize(size);
    const LineIndex idx(s);
    uint32_t line = 1;
    uint32_t column = 1;
    for (uint32_t at = 0; at <= s.size(); ++at) {
      if (at == s.size() || (static_cast<unsigned char>(s[at]) & 0xC0) != 0x80) {
        const Position p = idx.position(at);
        REQUIRE(p.line == line);
        REQUIRE(p.column == column);
      }
      if (at == s.size()) break;
      if (s[at] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(s[at]) & 0xC0) != 0x80) {
        ++column;
      }
    }
  }
}

TEST_CASE("printable neutralises escapes, controls and invalid UTF-8") {
  CHECK(printable("plain ünïcode") == "plain ünïcode");
  CHECK(printable("\x1b[31mred") == "\\x1b[31mred");
  CHECK(printable("a\xe2\x80\xae" "b") == "a<U+202E>b");
  CHECK(printable("bad\xff") == "bad\xEF\xBF\xBD");
  CHECK(printable("tab\tok") == "tab\tok");
  CHECK(to_valid_utf8("\xc3\x28") == "\xEF\xBF\xBD(");
  CHECK(to_valid_utf8("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST_CASE("is_valid_utf8 agrees with what to_valid_utf8 leaves alone") {
  for (const std::string s : {"", "scripts/install.sh", "na\xc3\xafve/\xe2\x82\xac", "\xf0\x9f\x98\x80 end", "\xc3\x28",
                              "\xed\xa0\x80", "\xc0\xaf", "ok\xff", "cut\xe2\x82", "\xf4\x90\x80\x80"}) {
    CAPTURE(s);
    CHECK(is_valid_utf8(s) == (to_valid_utf8(s) == s));
  }
  CHECK(is_valid_utf8("na\xc3\xafve"));
  CHECK_FALSE(is_valid_utf8("cut\xe2\x82"));
}

TEST_CASE("uri escaping and sha256") {
  CHECK(uri_escape("scripts/a b#c.sh") == "scripts/a%20b%23c.sh");
  CHECK(uri_escape("naïve") == "na%C3%AFve");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("nfd: canonical decomposition, Hangul, mark order; invalid bytes kept") {
  using pkgaudit::text::nfd;
  CHECK(nfd("caf\xc3\xa9") == "cafe\xcc\x81");
  CHECK(nfd("cafe\xcc\x81") == "cafe\xcc\x81");
  CHECK(nfd("\xea\xb0\x80") == "\xe1\x84\x80\xe1\x85\xa1");               // U+AC00
  CHECK(nfd("\xe1\xb8\x8b\xcc\xa3") == "d\xcc\xa3\xcc\x87");             // U+1E0B U+0323: dot below sorts first
  CHECK(nfd("\xe2\x84\xab") == "A\xcc\x8a");                             // ANGSTROM SIGN, a singleton
  CHECK(nfd("plain/ascii.sh") == "plain/ascii.sh");
  CHECK(nfd("bad\xff\xc3(\xe9") == "bad\xff\xc3(\xe9");  // stray bytes pass through
  CHECK(nfd("\xc3\xa9\xff") == "e\xcc\x81\xff");
}
