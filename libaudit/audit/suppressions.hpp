// Inline suppressions, applied centrally after every rule has run:
//   # pkgaudit: ignore[PA201,PA501] reason        (this line or the next)
//   -- pkgaudit: ignore[PA401] reason             (SQL)
//   # pkgaudit: ignore-file[PA304] reason         (at the top of a file)
// Archive-safety findings (PA1xx) cannot be suppressed inline: the package
// would be vouching for its own structure.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "package/package.hpp"
#include "pkgaudit/finding.hpp"

namespace pkgaudit::audit {

// Finds every suppression comment in the package.
// The comments in this run's files (package.checked).
std::vector<model::Suppression> find_suppressions(const model::Package& package);

// Marks the findings each suppression covers, and the suppression as used.
// Applied to the findings a part at a time (the auditor holds a run's
// findings decoded at a time, on several threads); the index and the used
// marks span them all. `suppressions` must not change while this lives.
class Suppressions {
 public:
  explicit Suppressions(std::vector<model::Suppression>& suppressions);
  ~Suppressions();
  Suppressions(const Suppressions&) = delete;
  Suppressions& operator=(const Suppressions&) = delete;
  void apply(std::vector<Finding>& findings);  // thread-safe

 private:
  struct WholeFile {
    std::vector<model::Suppression*> all;
    bool used = false;  // every one of them marked used already
  };
  struct InFile {
    std::unordered_map<uint32_t, std::vector<model::Suppression*>> at_line;
    std::unordered_map<std::string_view, WholeFile> whole_file;  // by rule id
  };
  std::unordered_map<std::string_view, InFile> by_path_;
  std::mutex mutex_;  // the used marks, here and in the suppressions
};

}  // namespace pkgaudit::audit
