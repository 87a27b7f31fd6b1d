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
  int32_t method = -1;        // write_zip: this libzip method (ZIP_CM_BZIP2, ...) rather than store or deflate

  // write_raw_zip only: what hostile archives do.
  bool deflate = false;            // raw deflate (zlib) instead of stored
  std::string local_name{};        // non-empty: the local header names the entry differently
  uint32_t local_crc_xor = 0;      // the local header's CRC differs from the central one
  bool data_descriptor = false;    // flag bit 3: CRC and sizes follow the data
  uint32_t descriptor_crc_xor = 0; // ... and the descriptor's CRC differs
  int shares_data_of = -1;         // no data of its own: the central entry points at entry N's local header
  bool encrypted = false;          // flag bit 0 (traditional encryption), data left as is
  uint32_t declared_size = 0;      // non-zero: both headers claim this uncompressed size (a lie)
};

struct RawZipOptions {
  uint64_t zip64_claimed_entries = 0;  // non-zero: a ZIP64 end record claiming this many entries
};

// Writes the entries, in order, to `path`. Returns an error message, or
// empty on success. Timestamps are fixed so the output is reproducible.
std::string write_zip(const std::string& path, const std::vector<ZipEntrySpec>& entries);

// A zip written byte by byte, entries stored, names exactly as given: for
// what libzip refuses to write (two entries of the same name).
std::string write_raw_zip(const std::string& path, const std::vector<ZipEntrySpec>& entries,
                          const RawZipOptions& options = {});
// The same bytes, in memory.
std::string raw_zip_bytes(const std::vector<ZipEntrySpec>& entries, const RawZipOptions& options = {});

// Every file, directory and symlink under `root`, sorted, names relative.
std::vector<ZipEntrySpec> entries_from_tree(const std::string& root, std::string& error);

}  // namespace pkgaudit::testing
