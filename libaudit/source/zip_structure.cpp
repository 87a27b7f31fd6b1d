#include "source/zip_structure.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "text/utf8.hpp"

namespace pkgaudit::source {
namespace {

constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint32_t kCentralSignature = 0x02014b50;
constexpr uint32_t kLocalSignature = 0x04034b50;
constexpr uint32_t kDescriptorSignature = 0x08074b50;
constexpr size_t kEndSize = 22;
constexpr size_t kCentralSize = 46;
constexpr size_t kLocalSize = 30;
constexpr uint32_t kMax32 = 0xFFFFFFFFu;
// Real JARs overlap by up to two bytes (a data descriptor quirk of some
// signing tools); more than that is two entries sharing data.
constexpr uint64_t kToleratedOverlap = 2;

// Little-endian reads; callers have checked the bounds.
uint64_t le(std::string_view b, uint64_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[static_cast<size_t>(at) + static_cast<size_t>(i)]);
  return v;
}

struct Central {
  uint64_t index = 0;
  uint16_t flags = 0;
  uint16_t method = 0;
  uint32_t crc = 0;
  uint64_t compressed = 0;
  uint64_t uncompressed = 0;
  uint64_t offset = 0;
  bool zip64 = false;
  std::string name;
};

// ZIP64 extended information (extra field 0x0001): the 64-bit values of
// the fields that are 0xFFFFFFFF, in this order.
void read_zip64_extra(std::string_view extra, uint64_t* fields[], int count) {
  for (size_t p = 0; p + 4 <= extra.size();) {
    const auto id = static_cast<uint16_t>(le(extra, p, 2));
    const auto size = static_cast<uint16_t>(le(extra, p + 2, 2));
    if (p + 4 + size > extra.size()) return;
    if (id == 0x0001) {
      size_t q = p + 4;
      for (int i = 0; i < count; ++i) {
        if (*fields[i] != kMax32) continue;
        if (q + 8 > p + 4 + size) return;
        *fields[i] = le(extra, q, 8);
        q += 8;
      }
      return;
    }
    p += 4 + size;
  }
}

std::string shown(std::string_view name) { return text::printable(name.substr(0, 256)); }

}  // namespace

ZipStructure check_zip_structure(const ArchiveBytes& z) {
  ZipStructure out;
  auto archive = [&](std::string message) { out.problems.push_back({-1, std::move(message)}); };
  auto entry = [&](uint64_t index, std::string message) {
    out.problems.push_back({static_cast<int64_t>(index), std::move(message)});
  };
  const uint64_t size = z.size();
  if (size < kEndSize) return out;  // libzip says what is wrong with it
  auto fits = [&](uint64_t at, uint64_t length) { return at <= size && length <= size - at; };

  // The end record: the last signature whose comment ends the file, else the last one.
  const uint64_t lowest = size > kEndSize + 0xFFFF ? size - kEndSize - 0xFFFF : 0;
  std::string tail;
  if (!z.read(lowest, size - lowest, tail)) return out;
  uint64_t end = UINT64_MAX;  // relative to `lowest` until found
  for (uint64_t p = tail.size() - kEndSize + 1; p-- > 0;) {
    if (le(tail, p, 4) != kEndSignature) continue;
    if (end == UINT64_MAX) end = p;
    if (p + kEndSize + le(tail, p + 20, 2) == tail.size()) {
      end = p;
      break;
    }
  }
  if (end == UINT64_MAX) return out;
  uint64_t declared = le(tail, end + 10, 2);
  uint64_t directory_size = le(tail, end + 12, 4);
  uint64_t directory_offset = le(tail, end + 16, 4);
  end += lowest;
  uint64_t records = end;  // the central directory must end before the end records

  std::string block;
  if (end >= 20 && z.read(end - 20, 20, block) && le(block, 0, 4) == kZip64LocatorSignature) {
    const uint64_t at = le(block, 8, 8);
    if (!fits(at, 56) || !z.read(at, 56, block) || le(block, 0, 4) != kZip64EndSignature) {
      archive(fmt::format("the ZIP64 end locator points at offset {}, where there is no ZIP64 end record", at));
    } else {
      const uint64_t entries64 = le(block, 32, 8);
      const uint64_t size64 = le(block, 40, 8);
      const uint64_t offset64 = le(block, 48, 8);
      if (declared != 0xFFFF && declared != entries64) {
        archive(fmt::format("the end record counts {} entries, the ZIP64 end record {}", declared, entries64));
      }
      declared = entries64;
      directory_size = size64;
      directory_offset = offset64;
      records = at;
    }
  }
  if (directory_offset > records || directory_size > records - directory_offset) {
    archive(fmt::format("the central directory ({} bytes at offset {}) runs past the end records at offset {}",
                        directory_size, directory_offset, records));
    directory_offset = std::min(directory_offset, records);
    directory_size = records - directory_offset;
  }
  if (declared > directory_size / kCentralSize) {
    archive(fmt::format("the end record claims {} entries, but a central directory of {} bytes holds at most {}",
                        declared, directory_size, directory_size / kCentralSize));
  }

  std::vector<Central> entries;
  const uint64_t directory_end = directory_offset + directory_size;
  std::string directory;
  if (!z.read(directory_offset, directory_size, directory)) directory.clear();
  for (uint64_t p = 0; p + kCentralSize <= directory.size() && le(directory, p, 4) == kCentralSignature;) {
    const uint64_t name_length = le(directory, p + 28, 2), extra_length = le(directory, p + 30, 2),
                   comment_length = le(directory, p + 32, 2);
    if (p + kCentralSize + name_length + extra_length + comment_length > directory.size()) {
      archive(fmt::format("central directory entry {} runs past the end of the central directory", entries.size()));
      break;
    }
    const std::string_view d = directory;
    Central c;
    c.index = entries.size();
    c.flags = static_cast<uint16_t>(le(d, p + 8, 2));
    c.method = static_cast<uint16_t>(le(d, p + 10, 2));
    c.crc = static_cast<uint32_t>(le(d, p + 16, 4));
    c.compressed = le(d, p + 20, 4);
    c.uncompressed = le(d, p + 24, 4);
    c.offset = le(d, p + 42, 4);
    c.zip64 = c.compressed == kMax32 || c.uncompressed == kMax32;
    c.name = std::string(d.substr(p + kCentralSize, name_length));
    uint64_t* fields[] = {&c.uncompressed, &c.compressed, &c.offset};
    read_zip64_extra(d.substr(p + kCentralSize + name_length, extra_length), fields, 3);
    out.names.push_back(c.name);
    entries.push_back(std::move(c));
    p += kCentralSize + name_length + extra_length + comment_length;
  }
  if (entries.size() != declared) {
    archive(fmt::format("the end record declares {} entries; the central directory holds {}", declared, entries.size()));
  }
  std::string().swap(directory);  // freed: assigning an empty string would keep its buffer
  out.locations.resize(entries.size());

  struct Extent {
    uint64_t begin, end, index;
  };
  std::vector<Extent> extents;
  std::string header, names;
  for (const Central& c : entries) {
    const std::string name = shown(c.name);
    if (!fits(c.offset, kLocalSize) || !z.read(c.offset, kLocalSize, header) || le(header, 0, 4) != kLocalSignature) {
      entry(c.index, fmt::format("the central directory puts the local header of '{}' at offset {}, where there is none",
                                 name, c.offset));
      continue;
    }
    const uint64_t local_name_length = le(header, 26, 2), local_extra_length = le(header, 28, 2);
    const uint64_t data = c.offset + kLocalSize + local_name_length + local_extra_length;
    if (data > size || !z.read(c.offset + kLocalSize, local_name_length + local_extra_length, names)) {
      entry(c.index, fmt::format("the local header of '{}' runs past the end of the file", name));
      continue;
    }
    const std::string_view local_name = std::string_view(names).substr(0, local_name_length);
    if (local_name != c.name) {
      entry(c.index, fmt::format("the local header names the entry '{}', the central directory '{}': extractors "
                                 "disagree on what it is called",
                                 shown(local_name), name));
    }
    if (le(header, 8, 2) != c.method) {
      entry(c.index, fmt::format("the local header of '{}' gives compression method {}, the central directory {}", name,
                                 le(header, 8, 2), c.method));
    }
    if (!fits(data, c.compressed)) {
      entry(c.index, fmt::format("the {} compressed bytes of '{}' run past the end of the file", c.compressed, name));
      continue;
    }
    out.locations[c.index] = {data, c.compressed, c.uncompressed, c.crc, c.method, c.flags};
    uint64_t extent_end = data + c.compressed;
    if (c.flags & 0x08) {
      // A data descriptor follows the data: its signature is optional.
      uint64_t d = extent_end;
      if (fits(d, 4) && z.read(d, 4, block) && le(block, 0, 4) == kDescriptorSignature) d += 4;
      const int width = c.zip64 ? 8 : 4;
      const uint64_t length = 4 + 2 * static_cast<uint64_t>(width);
      if (!fits(d, length) || !z.read(d, length, block)) {
        entry(c.index, fmt::format("the data descriptor of '{}' runs past the end of the file", name));
      } else {
        const auto crc = static_cast<uint32_t>(le(block, 0, 4));
        const uint64_t compressed = le(block, 4, width), uncompressed = le(block, 4 + width, width);
        if (crc != c.crc || compressed != c.compressed || uncompressed != c.uncompressed) {
          entry(c.index, fmt::format("the data descriptor of '{}' says CRC {:08x}, {} compressed and {} uncompressed "
                                     "bytes; the central directory says CRC {:08x}, {} and {}",
                                     name, crc, compressed, uncompressed, c.crc, c.compressed, c.uncompressed));
        }
        extent_end = d + length;
      }
    } else {
      const auto crc = static_cast<uint32_t>(le(header, 14, 4));
      uint64_t compressed = le(header, 18, 4), uncompressed = le(header, 22, 4);
      uint64_t* fields[] = {&uncompressed, &compressed};
      read_zip64_extra(std::string_view(names).substr(local_name_length), fields, 2);
      if (crc != c.crc || compressed != c.compressed || uncompressed != c.uncompressed) {
        entry(c.index, fmt::format("the local header of '{}' says CRC {:08x}, {} compressed and {} uncompressed bytes; "
                                   "the central directory says CRC {:08x}, {} and {}",
                                   name, crc, compressed, uncompressed, c.crc, c.compressed, c.uncompressed));
      }
    }
    extents.push_back({c.offset, extent_end, c.index});
    if (extent_end > directory_offset + kToleratedOverlap && c.offset < directory_end) {
      entry(c.index, fmt::format("the data of '{}' ({}-{}) overlaps the central directory", name, c.offset, extent_end));
    }
  }
  std::sort(extents.begin(), extents.end(), [](const Extent& a, const Extent& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.index < b.index;
  });
  uint64_t reach = 0, reach_index = 0;
  for (const Extent& e : extents) {
    if (reach > e.begin + kToleratedOverlap) {
      entry(e.index, fmt::format("the bytes of '{}' ({}-{}) overlap those of '{}': two entries share data, as in an "
                                 "overlapping-entry zip bomb",
                                 shown(entries[e.index].name), e.begin, e.end, shown(entries[reach_index].name)));
    }
    if (e.end > reach) {
      reach = e.end;
      reach_index = e.index;
    }
  }
  return out;
}

bool BufferBytes::read(uint64_t offset, uint64_t length, std::string& out) const {
  if (offset > bytes_.size() || length > bytes_.size() - offset) return false;
  out.assign(bytes_.substr(offset, length));
  return true;
}

ZipStructure check_zip_structure(std::string_view zip) { return check_zip_structure(BufferBytes(zip)); }

}  // namespace pkgaudit::source
