// The project's own zip writer (libzip): builds the bundled fixture zip from
// its tree, and lets tests craft hostile archives (traversal names,
// symlinks, duplicates) in memory-free, deterministic form.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pkgaudit::testing {

struct ZipEntrySpec {
  std::string name;           // stored exactly as given: "../x", "/abs", "a\\b" are allowed
  std::string data;           // file content, or the link target for a symlink
  enum Kind { file, directory, symlink } kind = file;
  uint32_t mode = 0644;
  bool store = false;         // no compression
};

// Writes the entries, in order, to `path`. Returns an error message, or
// empty on success. Timestamps are fixed so the output is reproducible.
std::string write_zip(const std::string& path, const std::vector<ZipEntrySpec>& entries);

// A zip written byte by byte, entries stored, names exactly as given: for
// what libzip refuses to write (two entries of the same name).
std::string write_raw_zip(const std::string& path, const std::vector<ZipEntrySpec>& entries);

// Every file, directory and symlink under `root`, sorted, names relative.
std::vector<ZipEntrySpec> entries_from_tree(const std::string& root, std::string& error);

}  // namespace pkgaudit::testing
