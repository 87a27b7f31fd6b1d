// Byte offsets to 1-based lines and columns. Columns count Unicode code
// points, which is what the SARIF output declares (`unicodeCodePoints`).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace pkgaudit::text {

struct Position {
  uint32_t line = 1;
  uint32_t column = 1;
};

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  Position position(uint32_t byte_offset) const;
  // The line's text without its terminator ("\n" or "\r\n").
  std::string_view line_text(uint32_t line) const;
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }
  uint32_t line_start(uint32_t line) const { return starts_.at(line - 1); }

 private:
  std::string_view text_;
  std::vector<uint32_t> starts_;
};

}  // namespace pkgaudit::text
