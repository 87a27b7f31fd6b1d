#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pkgaudit/custom_rule.hpp"
#include "pkgaudit/finding.hpp"

namespace pkgaudit {

// Hostile-input bounds. Anything not read because of a limit is reported as
// not audited; nothing is silently skipped.
struct Limits {
  uint64_t archive_bytes = 1ull << 30;      // largest archive opened (read in place, not loaded)
  uint64_t entries = 10'000;
  uint64_t entry_bytes = 100ull << 20;      // uncompressed, per entry
  uint64_t total_bytes = 400ull << 20;      // uncompressed, whole package
  uint64_t parse_bytes = 4ull << 20;        // input to one parser
  uint32_t parse_milliseconds = 2'000;      // per file
  uint32_t reparse_depth = 8;               // `bash -c "bash -c '...'"` nesting
  // Inflated bytes per compressed byte: deflate's maximum, and a tighter
  // bound once an entry passes 1 MiB.
  uint32_t compression_ratio = 1'032;
  uint32_t compression_ratio_large = 100;
  uint32_t name_bytes = 4'096;              // an entry name, as stored
  uint32_t path_depth = 64;                 // directories in an entry's path
  uint64_t crontab_bytes = 1ull << 20;      // input to the crontab parser
  uint32_t run_seconds = 120;               // reading and parsing the whole package
  uint32_t nesting_depth = 3;               // archives inside archives that are opened
};

// Every field is a key of pkgaudit.toml and has a command-line twin
// (docs/config.md); the command line wins over the file, the file over
// these defaults.
struct Options {
  // [rules]: ids ("PA201") or families ("PA4"); empty select: every rule.
  std::vector<std::string> select;
  std::vector<std::string> disable;
  std::map<std::string, Level> levels;   // [rules.level]: "none" drops the rule's findings
  // [scan]
  std::vector<std::string> exclude;      // globs over package paths: not read, reported as excluded
  bool inline_ignore = true;             // false: `# pkgaudit: ignore[...]` in the package has no effect
  uint32_t jobs = 0;                     // workers for parsing, rules and the report; 0: one per core. Output is the same for any value
  // Scripts, then SQL files, are parsed and checked in batches of about this
  // much text, each batch's models released before the next: they take ten
  // (scripts) to forty (SQL) times their text, whatever the size of the
  // package. Output is the same for any value.
  uint64_t batch_bytes = 256u << 10;
  // Report: SARIF runAutomationDetails.id and the directory PKGROOT maps to.
  std::string category;
  std::string source_root;
  // What exists on the host being upgraded: unit names, and files of unit
  // names (one per line, or `systemctl list-unit-files` output).
  std::vector<std::string> known_units;
  std::vector<std::string> units_files;
  // SQL: the dialect when a file does not say ("postgres" or "mysql"; empty:
  // guess from the file), and globs of files a runner pkgaudit cannot see
  // applies under a migration lock.
  std::string sql_dialect;
  std::vector<std::string> assume_locked;
  // Hosts: retired ones are findings wherever they appear; when `allowed`
  // is set, a file transfer to any other host is one. Patterns: names,
  // globs (*.old.example.com), IP addresses, CIDR ranges.
  std::vector<std::string> retired_hosts;
  std::vector<std::string> allowed_hosts;
  bool resolve_hosts = false;               // look names up (off: pkgaudit is static)
  uint32_t resolve_milliseconds = 2'000;
  // Side effects: hosts whose calls are not irreversible (a staging API).
  std::vector<std::string> side_effect_ignore_hosts;
  // [signing]
  bool require_signature = false;
  std::string trust_store;               // file or directory of PEM roots; empty: the system's
  std::vector<std::string> extra_chain;  // untrusted intermediates from the vendor
  std::string signature_file;            // a detached signature over the archive; default PACKAGE.zip.p7s/.sig
  int64_t verify_time = 0;               // seconds since the epoch; 0: now (set it for reproducible reviews)
  // [[custom-rules]]: checked like built-in rules (select, levels, suppressions).
  std::vector<CustomRule> custom_rules;
  // Called as entries are read (done, total, bytes), for a progress line.
  std::function<void(uint64_t, uint64_t, uint64_t)> progress;
  Limits limits;
};

}  // namespace pkgaudit
