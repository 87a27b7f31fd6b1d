#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pkgaudit {

// Hostile-input bounds. Anything not read because of a limit is reported as
// not audited; nothing is silently skipped.
struct Limits {
  uint64_t archive_bytes = 1ull << 30;      // a zip is read into memory
  uint64_t entries = 10'000;
  uint64_t entry_bytes = 100ull << 20;      // uncompressed, per entry
  uint64_t total_bytes = 400ull << 20;      // uncompressed, whole package
  uint64_t parse_bytes = 4ull << 20;        // input to one parser
  uint32_t parse_milliseconds = 2'000;      // per file
  uint32_t reparse_depth = 8;               // `bash -c "bash -c '...'"` nesting
};

struct Options {
  // When non-empty, only these rule ids run (the fixture runner uses this).
  std::vector<std::string> select;
  std::vector<std::string> disable;
  // What exists on the host being upgraded: unit names, and files of unit
  // names (one per line, or `systemctl list-unit-files` output).
  std::vector<std::string> known_units;
  std::vector<std::string> units_files;
  // SQL: the dialect when a file does not say ("postgres" or "mysql"; empty:
  // guess from the file), and globs of files a runner pkgaudit cannot see
  // applies under a migration lock.
  std::string sql_dialect;
  std::vector<std::string> assume_locked;
  Limits limits;
};

}  // namespace pkgaudit
