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
