// A second, independent reading of a zip's structure, beside libzip: the
// end records, every central directory entry and every local header, as
// Info-ZIP's UnZip and Python's zipfile check them. Two readers that see
// different bytes for one entry (overlapping entries, a local header that
// disagrees with the central directory) are how zip bombs and scanner
// evasion work; pkgaudit reports them instead of choosing one reading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pkgaudit::source {

struct StructureProblem {
  int64_t entry = -1;        // central directory index; -1: the archive as a whole
  std::string message;       // one sentence: what disagrees, with the values
};

struct ZipStructure {
  std::vector<StructureProblem> problems;
  // Central directory names exactly as stored, NUL bytes included (libzip
  // hands names out as C strings), by index; empty when the walk stopped.
  std::vector<std::string> names;
};

// Random access to an archive's bytes: a buffer, or a file read in place
// (a package on disk is never held in memory whole).
class ArchiveBytes {
 public:
  virtual ~ArchiveBytes() = default;
  virtual uint64_t size() const = 0;
  // Exactly `length` bytes at `offset` into `out`; false past the end or on a read error.
  virtual bool read(uint64_t offset, uint64_t length, std::string& out) const = 0;
};

// Never throws on any input but out of memory; work is linear in the
// central directory, and memory is the central directory plus one local header.
ZipStructure check_zip_structure(const ArchiveBytes& zip);
ZipStructure check_zip_structure(std::string_view zip);

}  // namespace pkgaudit::source
