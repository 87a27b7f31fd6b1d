// GitHub code scanning's primaryLocationLineHash, computed the way
// github/codeql-action does (src/fingerprints.ts): a rolling hash over the
// next 100 non-blank UTF-16 code units from the start of each line, with
// line endings folded to '\n', plus an occurrence count for repeats. With
// the same value GitHub would compute, alerts keep their identity across
// uploads from pkgaudit and from the action.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pkgaudit::report {

// The hash of every line, formatted only for the lines asked for: most
// lines of a file have no finding.
class LineHashes {
 public:
  // With max_lines, only the first max_lines lines are hashed (the text
  // after them is read only as far as their hashes need).
  explicit LineHashes(std::string_view utf8_text, size_t max_lines = SIZE_MAX);
  size_t size() const { return lines_.size(); }
  std::string at(size_t index) const;  // "hash:occurrence"; index 0 is line 1
  uint64_t hash_at(size_t index) const { return lines_[index].first; }
  static std::string format(uint64_t hash, uint32_t occurrence);  // as at() gives it

 private:
  std::vector<std::pair<uint64_t, uint32_t>> lines_;  // (hash, occurrence)
};

// One "hash:occurrence" per line (index 0 is line 1).
std::vector<std::string> github_line_hashes(std::string_view utf8_text);

}  // namespace pkgaudit::report
