#include "zip_writer.hpp"

#include <sys/stat.h>
#include <zip.h>
#include <zlib.h>

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
      const int32_t method = e.method >= 0 ? e.method
                             : e.store || e.kind == ZipEntrySpec::symlink ? ZIP_CM_STORE
                                                                          : ZIP_CM_DEFLATE;
      zip_set_file_compression(za, i, method, e.method >= 0 ? 0 : 9);
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

void put64(std::string& out, uint64_t v) {
  put32(out, static_cast<uint32_t>(v & 0xFFFFFFFFu));
  put32(out, static_cast<uint32_t>(v >> 32));
}

std::string raw_deflate(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

std::string raw_zip_bytes(const std::vector<ZipEntrySpec>& entries, const RawZipOptions& options) {
  std::string out, central;
  struct Written {
    uint32_t offset, crc, size, compressed, method;
  };
  std::vector<Written> written;
  for (const ZipEntrySpec& e : entries) {
    const bool shared = e.shares_data_of >= 0;
    // An entry sharing another's data shares its sizes and CRC too.
    const Written* base = shared ? &written.at(static_cast<size_t>(e.shares_data_of)) : nullptr;
    const std::string stored = shared ? std::string{} : e.deflate ? raw_deflate(e.data) : e.data;
    const uint32_t crc = base ? base->crc : crc32(e.data);
    const auto size = base ? base->size : e.declared_size ? e.declared_size : static_cast<uint32_t>(e.data.size());
    const auto compressed = base ? base->compressed : static_cast<uint32_t>(stored.size());
    const uint32_t method = base ? base->method : e.deflate ? 8 : 0;
    const uint32_t flags = (e.data_descriptor ? 0x08 : 0) | (e.encrypted ? 0x01 : 0);
    uint32_t offset = static_cast<uint32_t>(out.size());
    if (base) {
      offset = base->offset;
    } else {
      const std::string& local_name = e.local_name.empty() ? e.name : e.local_name;
      put32(out, 0x04034b50);
      put16(out, 20);      // version needed
      put16(out, flags);   // no UTF-8 flag: libzip rejects flagged names with control characters
      put16(out, method);
      put16(out, 0);
      put16(out, 0x5821);  // 2024-01-01
      put32(out, e.data_descriptor ? 0 : crc ^ e.local_crc_xor);
      put32(out, e.data_descriptor ? 0 : compressed);
      put32(out, e.data_descriptor ? 0 : size);
      put16(out, static_cast<uint32_t>(local_name.size()));
      put16(out, 0);
      out += local_name;
      out += stored;
      if (e.data_descriptor) {
        put32(out, 0x08074b50);
        put32(out, crc ^ e.descriptor_crc_xor);
        put32(out, compressed);
        put32(out, size);
      }
    }
    written.push_back({offset, crc, size, compressed, method});
    put32(central, 0x02014b50);
    put16(central, 0x031E);  // made by Unix
    put16(central, 20);
    put16(central, flags);
    put16(central, method);
    put16(central, 0);
    put16(central, 0x5821);
    put32(central, crc);
    put32(central, compressed);
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
  uint32_t count16 = static_cast<uint32_t>(entries.size());
  if (options.zip64_claimed_entries) {
    const auto record = static_cast<uint64_t>(out.size());
    put32(out, 0x06064b50);
    put64(out, 44);  // size of the rest of the record
    put16(out, 45);
    put16(out, 45);
    put32(out, 0);
    put32(out, 0);
    put64(out, options.zip64_claimed_entries);
    put64(out, options.zip64_claimed_entries);
    put64(out, central.size());
    put64(out, central_offset);
    put32(out, 0x07064b50);
    put32(out, 0);
    put64(out, record);
    put32(out, 1);
    count16 = 0xFFFF;
  }
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, count16);
  put16(out, count16);
  put32(out, static_cast<uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);
  return out;
}

std::string write_raw_zip(const std::string& path, const std::vector<ZipEntrySpec>& entries,
                          const RawZipOptions& options) {
  const std::string out = raw_zip_bytes(entries, options);
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
