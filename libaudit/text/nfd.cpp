#include "text/nfd.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace pkgaudit::data {
extern const char* const unicode_canonical;
}  // namespace pkgaudit::data

namespace pkgaudit::text {
namespace {

// A byte that is not part of valid UTF-8, kept as itself.
constexpr char32_t kRawByte = 0x110000;

struct Tables {
  std::unordered_map<char32_t, std::u32string> decomposition;
  std::unordered_map<char32_t, uint8_t> combining_class;

  Tables() {
    std::string_view data = data::unicode_canonical;
    while (!data.empty()) {
      const size_t eol = data.find('\n');
      std::string_view line = data.substr(0, eol);
      data = eol == std::string_view::npos ? std::string_view{} : data.substr(eol + 1);
      if (line.size() < 3 || line[0] == '#') continue;
      const char kind = line[0];
      line.remove_prefix(2);
      std::vector<uint32_t> numbers;
      while (!line.empty()) {
        const size_t space = line.find(' ');
        const std::string_view field = line.substr(0, space);
        uint32_t v = 0;
        std::from_chars(field.data(), field.data() + field.size(), v, kind == 'c' && !numbers.empty() ? 10 : 16);
        numbers.push_back(v);
        line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
      }
      if (numbers.size() < 2) continue;
      if (kind == 'd') decomposition[numbers[0]] = std::u32string(numbers.begin() + 1, numbers.end());
      if (kind == 'c') combining_class[numbers[0]] = static_cast<uint8_t>(numbers[1]);
    }
  }

  uint8_t ccc(char32_t c) const {
    const auto it = combining_class.find(c);
    return it == combining_class.end() ? 0 : it->second;
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

std::u32string decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = n > 0 && i + static_cast<size_t>(n) <= s.size();
    for (int k = 1; ok && k < n; ++k) {
      const auto cont = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      ok = (cont & 0xC0) == 0x80;
      c = (c << 6) | (cont & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    ok = ok && !(n == 2 && c < 0x80) && !(n == 3 && c < 0x800) && !(n == 4 && (c < 0x10000 || c > 0x10FFFF)) &&
         !(c >= 0xD800 && c <= 0xDFFF);
    if (!ok) {
      out += kRawByte + b;
      ++i;
      continue;
    }
    out += c;
    i += static_cast<size_t>(n);
  }
  return out;
}

void encode(char32_t c, std::string& out) {
  if (c >= kRawByte) {
    out += static_cast<char>(c - kRawByte);
  } else if (c < 0x80) {
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

}  // namespace

std::string nfd(std::string_view utf8) {
  // Pure ASCII is its own NFD: the common case costs one scan.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(utf8);
  }
  const Tables& t = tables();
  std::u32string decomposed;
  for (const char32_t c : decode(utf8)) {
    if (c >= 0xAC00 && c <= 0xD7A3) {  // Hangul syllables, by the Unicode algorithm
      const char32_t s = c - 0xAC00;
      decomposed += static_cast<char32_t>(0x1100 + s / (21 * 28));
      decomposed += static_cast<char32_t>(0x1161 + (s % (21 * 28)) / 28);
      if (s % 28) decomposed += static_cast<char32_t>(0x11A7 + s % 28);
      continue;
    }
    const auto it = t.decomposition.find(c);
    if (it == t.decomposition.end()) decomposed += c;
    else decomposed += it->second;
  }
  // Canonical ordering: each run of combining marks sorted by class, stably.
  for (size_t i = 0; i < decomposed.size();) {
    if (t.ccc(decomposed[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < decomposed.size() && t.ccc(decomposed[j]) != 0) ++j;
    std::stable_sort(decomposed.begin() + static_cast<ptrdiff_t>(i), decomposed.begin() + static_cast<ptrdiff_t>(j),
                     [&](char32_t a, char32_t b) { return t.ccc(a) < t.ccc(b); });
    i = j;
  }
  std::string out;
  for (const char32_t c : decomposed) encode(c, out);
  return out;
}

}  // namespace pkgaudit::text
