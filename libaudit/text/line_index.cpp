#include "text/line_index.hpp"

#include <algorithm>

#include "text/utf8.hpp"

namespace pkgaudit::text {

namespace {

uint32_t count_code_points(std::string_view text, uint32_t from, uint32_t to) {
  uint32_t n = 0;
  for (uint32_t i = from; i < to; ++i) n += !is_continuation_byte(text[i]);
  return n;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  bool long_line = false;
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    long_line = long_line || i + 1 - starts_.back() > kBlock;
    starts_.push_back(i + 1);
  }
  long_line = long_line || text.size() - starts_.back() > kBlock;
  if (!long_line) return;
  // One per block start up to and including the end's block.
  const auto size = static_cast<uint32_t>(text.size());
  blocks_.reserve(size / kBlock + 1);
  uint32_t before = 0;
  for (uint32_t block = 0; block <= size / kBlock; ++block) {
    blocks_.push_back(before);
    before += count_code_points(text, block * kBlock, std::min(block * kBlock + kBlock, size));
  }
}

uint32_t LineIndex::code_points_before(uint32_t byte_offset) const {
  const uint32_t block = byte_offset / kBlock;
  return blocks_[block] + count_code_points(text_, block * kBlock, byte_offset);
}

Position LineIndex::position(uint32_t byte_offset) const {
  byte_offset = std::min<uint32_t>(byte_offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), byte_offset);
  const auto line = static_cast<uint32_t>(it - starts_.begin());
  const uint32_t start = starts_[line - 1];
  if (blocks_.empty() || byte_offset - start <= kBlock) {
    return {line, 1 + count_code_points(text_, start, byte_offset)};
  }
  return {line, 1 + code_points_before(byte_offset) - code_points_before(start)};
}

std::string_view LineIndex::line_text(uint32_t line) const {
  if (line == 0 || line > starts_.size()) return {};
  const uint32_t start = starts_[line - 1];
  uint32_t end = line < starts_.size() ? starts_[line] - 1 : static_cast<uint32_t>(text_.size());
  if (end > start && text_[end - 1] == '\r') --end;
  return text_.substr(start, end - start);
}

}  // namespace pkgaudit::text
