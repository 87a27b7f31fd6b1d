#include "zip_writer.hpp"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pkgaudit::testing {
namespace fs = std::filesystem;

std::string write_zip(const std::string& path, const std::vector<ZipEntrySpec>& entries) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!za) return "cannot create " + path;
  constexpr time_t kFixedTime = 1704067200;  // 2024-01-01T00:00:00Z
  for (const ZipEntrySpec& e : entries) {
    zip_int64_t index = -1;
    if (e.kind == ZipEntrySpec::directory) {
      index = zip_dir_add(za, e.name.c_str(), ZIP_FL_ENC_RAW);
    } else {
      zip_source_t* src = zip_source_buffer(za, e.data.data(), e.data.size(), 0);
      if (!src) {
        zip_discard(za);
        return "zip_source_buffer failed";
      }
      // libzip refuses a second entry of the same name; duplicate-entry
      // archives need a raw writer (see the hostile-input issue).
      index = zip_file_add(za, e.name.c_str(), src, ZIP_FL_ENC_RAW);
      if (index < 0) zip_source_free(src);
    }
    if (index < 0) {
      std::string why = zip_strerror(za);
      zip_discard(za);
      return "cannot add " + e.name + ": " + why;
    }
    const auto i = static_cast<zip_uint64_t>(index);
    const uint32_t type = e.kind == ZipEntrySpec::symlink ? S_IFLNK : e.kind == ZipEntrySpec::directory ? S_IFDIR : S_IFREG;
    zip_file_set_external_attributes(za, i, 0, ZIP_OPSYS_UNIX, (type | (e.mode & 07777)) << 16);
    zip_file_set_mtime(za, i, kFixedTime, 0);
    if (e.kind != ZipEntrySpec::directory) {
      zip_set_file_compression(za, i, e.store || e.kind == ZipEntrySpec::symlink ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9);
    }
  }
  if (zip_close(za) != 0) {
    std::string why = zip_strerror(za);
    zip_discard(za);
    return "cannot write " + path + ": " + why;
  }
  return {};
}

namespace {

uint32_t crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : data) {
    crc ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put16(std::string& out, uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}

void put32(std::string& out, uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

}  // namespace

std::string write_raw_zip(const std::string& path, const std::vector<ZipEntrySpec>& entries) {
  std::string out, central;
  for (const ZipEntrySpec& e : entries) {
    const auto offset = static_cast<uint32_t>(out.size());
    const uint32_t crc = crc32(e.data);
    const auto size = static_cast<uint32_t>(e.data.size());
    put32(out, 0x04034b50);
    put16(out, 10);      // version needed
    put16(out, 0);       // no UTF-8 flag: libzip rejects flagged names with control characters
    put16(out, 0);       // stored
    put16(out, 0);
    put16(out, 0x5821);  // 2024-01-01
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, static_cast<uint32_t>(e.name.size()));
    put16(out, 0);
    out += e.name;
    out += e.data;
    put32(central, 0x02014b50);
    put16(central, 0x031E);  // made by Unix
    put16(central, 10);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0x5821);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, static_cast<uint32_t>(e.name.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    const uint32_t type = e.kind == ZipEntrySpec::symlink ? S_IFLNK : e.kind == ZipEntrySpec::directory ? S_IFDIR : S_IFREG;
    put32(central, (type | (e.mode & 07777)) << 16);
    put32(central, offset);
    central += e.name;
  }
  const auto central_offset = static_cast<uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<uint32_t>(entries.size()));
  put16(out, static_cast<uint32_t>(entries.size()));
  put32(out, static_cast<uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(out.data(), static_cast<std::streamsize>(out.size()));
  return file ? std::string{} : "cannot write " + path;
}

std::vector<ZipEntrySpec> entries_from_tree(const std::string& root, std::string& error) {
  std::vector<ZipEntrySpec> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path rel = fs::relative(it->path(), root, ec);
    ZipEntrySpec e;
    e.name = rel.generic_string();
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    e.mode = st.st_mode & 07777;
    if (it->is_symlink()) {
      e.kind = ZipEntrySpec::symlink;
      e.data = fs::read_symlink(it->path(), ec).string();
    } else if (it->is_directory()) {
      e.kind = ZipEntrySpec::directory;
      e.name += "/";
    } else {
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream data;
      data << in.rdbuf();
      e.data = data.str();
    }
    out.push_back(std::move(e));
  }
  if (ec) error = root + ": " + ec.message();
  std::sort(out.begin(), out.end(), [](const ZipEntrySpec& a, const ZipEntrySpec& b) { return a.name < b.name; });
  return out;
}

}  // namespace pkgaudit::testing
