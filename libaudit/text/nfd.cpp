#include "text/nfd.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "text/utf8.hpp"

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
    uint32_t c = 0;
    const size_t n = decode_utf8(s, i, c);
    if (n == 0) {
      out += kRawByte + static_cast<unsigned char>(s[i]);
      ++i;
      continue;
    }
    out += static_cast<char32_t>(c);
    i += n;
  }
  return out;
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
  for (const char32_t c : decomposed) {
    if (c >= kRawByte) out += static_cast<char>(c - kRawByte);
    else append_utf8(static_cast<uint32_t>(c), out);
  }
  return out;
}

}  // namespace pkgaudit::text
