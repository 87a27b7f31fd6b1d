#pragma once

#include "pkgaudit/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgaudit {

// Ordered by severity so that `level >= Level::warning` reads naturally.
enum class Level { none = 0, note = 1, warning = 2, error = 3 };

PKGAUDIT_API const char* level_name(Level level) noexcept;  // "none" "note" "warning" "error"
PKGAUDIT_API std::optional<Level> parse_level(std::string_view text) noexcept;

// A place in a package file. Lines and columns are 1-based; columns count
// Unicode code points (SARIF `columnKind: unicodeCodePoints`). The end is
// exclusive: end_column is the column just past the last character.
struct Location {
  std::string path;  // normalised path inside the package, '/'-separated
  uint32_t line = 0;  // 0: the whole file (no region)
  uint32_t column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  // The source text of the region's first line. A line longer than 400
  // bytes is cut to 240 characters from 80 before the region's start, with
  // "…" where it was cut; snippet_column is then the column of the first
  // character after a leading "…" (1: the snippet starts with the line).
  std::string snippet;
  uint32_t snippet_column = 1;
};

struct RelatedLocation {
  Location location;
  std::string message;  // e.g. "run by cron.d/dten-import:3 (daily at 03:00)"
};

// Against a baseline (--baseline OLD.sarif): as SARIF's baselineState.
enum class BaselineState { none, new_, unchanged, updated, absent };
PKGAUDIT_API const char* baseline_state_name(BaselineState state) noexcept;  // "new", "unchanged", ...

struct Finding {
  std::string rule_id;  // "PA201"
  Level level = Level::warning;
  std::string message;
  Location location;
  std::vector<RelatedLocation> related;
  // Survives edits above the line: rule, path and normalised line text.
  std::string fingerprint;
  std::string line_hash;  // GitHub's primaryLocationLineHash scheme
  // An inline `# pkgaudit: ignore[ID] reason` matched: kept in the report
  // (SARIF `suppressions`), never counted by --fail-on.
  bool suppressed = false;
  std::string justification;
  BaselineState baseline = BaselineState::none;
};

}  // namespace pkgaudit
