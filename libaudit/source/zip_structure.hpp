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

// Where an entry's data is, when the walk found its local header where the
// central directory puts it and its compressed bytes inside the file.
struct DataLocation {
  static constexpr uint64_t kNone = UINT64_MAX;
  uint64_t data = kNone;      // offset of the compressed bytes
  uint64_t compressed = 0;
  uint64_t uncompressed = 0;  // as the central directory declares
  uint32_t crc = 0;           // as the central directory declares
  uint16_t method = 0;
  uint16_t flags = 0;
};

struct ZipStructure {
  std::vector<StructureProblem> problems;
  // Central directory names exactly as stored, NUL bytes included (libzip
  // hands names out as C strings), by index; empty when the walk stopped.
  std::vector<std::string> names;
  std::vector<DataLocation> locations;  // by index, as `names`
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

// An archive in memory, not owned.
class BufferBytes final : public ArchiveBytes {
 public:
  explicit BufferBytes(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  bool read(uint64_t offset, uint64_t length, std::string& out) const override;

 private:
  std::string_view bytes_;
};

// Never throws on any input but out of memory; work is linear in the
// central directory, and memory is the central directory plus one local header.
ZipStructure check_zip_structure(const ArchiveBytes& zip);
ZipStructure check_zip_structure(std::string_view zip);

}  // namespace pkgaudit::source
