// One interface over a zip archive and an unpacked directory. Entries are
// enumerated up front (headers only) and read one at a time into memory;
// nothing is ever written to disk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pkgaudit/options.hpp"
#include "pkgaudit/result.hpp"
#include "source/zip_structure.hpp"

namespace pkgaudit::source {

enum class EntryType { file, directory, symlink, other };

struct EntryHeader {
  uint64_t index = 0;          // position in the archive or walk order
  std::string raw_name;        // exactly as stored (zip) or relative path (directory)
  EntryType type = EntryType::file;
  uint64_t size = 0;           // declared uncompressed size
  uint64_t compressed_size = 0;
  bool compressed = false;     // stored entries inflate at a ratio of 1
  bool encrypted = false;
  std::string unreadable;      // non-empty: why this entry cannot be read at all
};

struct EntryData {
  std::string bytes;
  bool truncated = false;      // the entry is longer than the cap; bytes holds the first cap
  std::string error;           // non-empty: the read failed (bytes may be partial)
};

class PackageSource {
 public:
  virtual ~PackageSource() = default;
  virtual bool is_archive() const = 0;
  virtual const std::vector<EntryHeader>& entries() const = 0;
  // Reads at most `cap` bytes of the entry, counted by pkgaudit itself.
  virtual EntryData read(const EntryHeader& entry, uint64_t cap) = 0;
  // For a symlink entry: where it points (may be empty when unknown).
  virtual std::string link_target(const EntryHeader& entry) = 0;
  // Every entry has been read once, in order; from now on a few are read
  // again, by index (read_again): those in `again` (any order) cheaply,
  // any other at more cost. A zip lets go of libzip's index of the archive
  // and of the headers, which a package of 50,000 entries holds 20 MiB of
  // (entries() is empty afterwards), and of where the entries not in
  // `again` are.
  virtual void reading_done(std::vector<uint64_t> again) { (void)again; }
  // Entry `index` of entries() (as they were before reading_done), read
  // again: at most `cap` bytes.
  virtual EntryData read_again(uint64_t index, uint64_t cap) { return read(entries()[index], cap); }
  // What the independent structure walk found (zip_structure.hpp): for the
  // archive (entry -1) and per entry index. Empty for directories.
  virtual std::vector<StructureProblem> structure_problems() const { return {}; }
};

Result<std::unique_ptr<PackageSource>> open_zip_file(const std::string& path, const Limits& limits);
// Takes ownership of the bytes; the archive is read from memory.
Result<std::unique_ptr<PackageSource>> open_zip_bytes(std::string bytes, const std::string& name);
Result<std::unique_ptr<PackageSource>> open_directory(const std::string& path);

// Opens a zip or a directory, telling them apart by what is on disk.
Result<std::unique_ptr<PackageSource>> open_package(const std::string& path, const Limits& limits);

}  // namespace pkgaudit::source
