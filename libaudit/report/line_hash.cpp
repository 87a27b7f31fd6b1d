#include "report/line_hash.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace pkgaudit::report {
namespace {

constexpr int kBlock = 100;
constexpr uint64_t kMod = 37;
constexpr uint32_t kEof = 65535;

// UTF-8 to UTF-16 code units, invalid bytes as U+FFFD (what Node's utf8
// stream decoder produces), handed to `out` one by one until `stop` says so.
template <typename Out, typename Stop>
void for_each_utf16_unit(std::string_view s, Out&& out, Stop&& stop) {
  for (size_t i = 0; i < s.size() && !stop();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    uint32_t cp = 0xFFFD;
    size_t len = 1;
    if (b0 < 0x80) {
      cp = b0;
    } else {
      size_t need = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
      if (need && i + need <= s.size()) {
        uint32_t v = b0 & (0xFF >> (need + 1));
        bool ok = true;
        for (size_t k = 1; k < need; ++k) {
          const auto b = static_cast<unsigned char>(s[i + k]);
          if ((b & 0xC0) != 0x80) ok = false;
          v = (v << 6) | (b & 0x3F);
        }
        if (ok) {
          cp = v;
          len = need;
        }
      }
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out(0xD800 + (cp >> 10));
      out(0xDC00 + (cp & 0x3FF));
    } else {
      out(cp);
    }
    i += len;
  }
}

// How often each hash was seen: open addressing in one array. A node-based
// map allocated a node for every line of every file with a finding.
class Occurrences {
 public:
  uint32_t bump(uint64_t hash) {
    if ((used_ + 1) * 4 > slots_.size() * 3) grow();
    Slot& slot = find(slots_, hash);
    if (slot.count == 0) {
      slot.hash = hash;
      ++used_;
    }
    return ++slot.count;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t count = 0;  // 0: empty
  };
  static Slot& find(std::vector<Slot>& slots, uint64_t hash) {
    const size_t mask = slots.size() - 1;
    uint64_t mixed = hash ^ (hash >> 33);  // the low bits alone cluster
    mixed *= 0xff51afd7ed558ccdULL;
    size_t i = static_cast<size_t>(mixed ^ (mixed >> 33)) & mask;
    while (slots[i].count != 0 && slots[i].hash != hash) i = (i + 1) & mask;
    return slots[i];
  }
  void grow() {
    std::vector<Slot> old(std::max<size_t>(64, slots_.size() * 2));
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.count != 0) find(slots_, slot.hash) = slot;
    }
  }
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

}  // namespace

LineHashes::LineHashes(std::string_view text, size_t max_lines) {
  uint64_t first_mod = 1;
  for (int i = 0; i < kBlock; ++i) first_mod *= kMod;
  std::array<uint32_t, kBlock> window{};
  std::array<int64_t, kBlock> line_numbers;
  line_numbers.fill(-1);
  uint64_t hash = 0;  // two's complement wrap-around, as JS Long
  int index = 0;
  int64_t line = 0;
  bool line_start = true;
  bool prev_cr = false;
  Occurrences counts;

  auto output = [&] {
    const uint32_t n = counts.bump(hash);
    const auto at = static_cast<size_t>(line_numbers[index] - 1);
    if (lines_.size() <= at) lines_.resize(at + 1);
    lines_[at] = {hash, n};
    line_numbers[index] = -1;
  };
  auto update = [&](uint32_t current) {
    const uint32_t begin = window[index];
    window[index] = current;
    hash = kMod * hash + current - first_mod * begin;
    if (++index == kBlock) index = 0;  // not `% kBlock`: this runs for every character of every file with a finding
  };
  auto process = [&](uint32_t current) {
    if (current == ' ' || current == '\t' || (prev_cr && current == '\n')) {
      prev_cr = false;
      return;
    }
    if (current == '\r') {
      current = '\n';
      prev_cr = true;
    } else {
      prev_cr = false;
    }
    if (line_numbers[index] != -1) output();
    if (line_start) {
      line_start = false;
      line_numbers[index] = ++line;
    }
    if (current == '\n') line_start = true;
    update(current);
  };
  // A line's hash is known once the window has moved past it: with enough
  // lines known, the rest of the text changes none of them.
  const auto enough = [&] { return lines_.size() >= max_lines; };
  for_each_utf16_unit(text, process, enough);
  if (enough()) {
    lines_.resize(max_lines);  // a surrogate pair may have completed one more
    return;
  }
  process(kEof);
  for (int i = 0; i < kBlock; ++i) {
    if (line_numbers[index] != -1) output();
    update(0);
  }
  if (lines_.size() > max_lines) lines_.resize(max_lines);
}

std::string LineHashes::at(size_t index) const { return format(lines_[index].first, lines_[index].second); }

std::string LineHashes::format(uint64_t hash, uint32_t occurrence) { return fmt::format("{:x}:{}", hash, occurrence); }

std::vector<std::string> github_line_hashes(std::string_view text) {
  const LineHashes hashes(text);
  std::vector<std::string> out;
  for (size_t i = 0; i < hashes.size(); ++i) out.push_back(hashes.at(i));
  return out;
}

}  // namespace pkgaudit::report
