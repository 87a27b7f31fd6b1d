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
  // Code points in text_ before each multiple of kBlock bytes, kept only
  // when a line is longer than a block: a column then costs at most two
  // blocks of counting, not the line so far (a hostile one-line script of
  // megabytes with a finding on every command).
  static constexpr uint32_t kBlock = 4096;
  uint32_t code_points_before(uint32_t byte_offset) const;

  std::string_view text_;
  std::vector<uint32_t> starts_;
  std::vector<uint32_t> blocks_;
};

}  // namespace pkgaudit::text
