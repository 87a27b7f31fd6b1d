#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "source/package_source.hpp"

namespace pkgaudit::source {
namespace fs = std::filesystem;
namespace {

class DirectorySource final : public PackageSource {
 public:
  explicit DirectorySource(fs::path root) : root_(std::move(root)) {}

  // An explicit stack instead of recursive_directory_iterator: an unreadable
  // subdirectory must become a not-audited entry, not be skipped silently,
  // and symlinks are never followed.
  std::optional<Error> walk() {
    std::vector<fs::path> pending{fs::path{}};
    while (!pending.empty()) {
      const fs::path relative = pending.back();
      pending.pop_back();
      std::error_code ec;
      fs::directory_iterator it(root_ / relative, ec);
      if (ec) {
        if (relative.empty()) {
          return Error{ErrorCode::io, fmt::format("{}: cannot read directory: {}", root_.string(), ec.message())};
        }
        EntryHeader header;
        header.raw_name = relative.generic_string() + "/";
        header.type = EntryType::directory;
        header.unreadable = fmt::format("cannot read directory: {}", ec.message());
        entries_.push_back(std::move(header));
        continue;
      }
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const fs::path child = relative / it->path().filename();
        EntryHeader header;
        header.raw_name = child.generic_string();
        const fs::file_status status = it->symlink_status(ec);
        if (fs::is_symlink(status)) {
          header.type = EntryType::symlink;
        } else if (fs::is_directory(status)) {
          header.type = EntryType::directory;
          header.raw_name += "/";
          pending.push_back(child);
        } else if (fs::is_regular_file(status)) {
          header.size = it->file_size(ec);
          if (ec) header.unreadable = ec.message();
        } else {
          header.type = EntryType::other;
          header.unreadable = "not a regular file (device, fifo or socket)";
        }
        entries_.push_back(std::move(header));
      }
      if (ec) {
        EntryHeader header;
        header.raw_name = relative.generic_string() + "/";
        header.type = EntryType::directory;
        header.unreadable = fmt::format("directory listing failed: {}", ec.message());
        entries_.push_back(std::move(header));
      }
    }
    std::sort(entries_.begin(), entries_.end(),
              [](const EntryHeader& a, const EntryHeader& b) { return a.raw_name < b.raw_name; });
    for (size_t i = 0; i < entries_.size(); ++i) entries_[i].index = i;
    return std::nullopt;
  }

  bool is_archive() const override { return false; }
  const std::vector<EntryHeader>& entries() const override { return entries_; }

  EntryData read(const EntryHeader& entry, uint64_t cap) override {
    EntryData out;
    std::ifstream in(root_ / entry.raw_name, std::ios::binary);
    if (!in) {
      out.error = fmt::format("cannot open: {}", std::strerror(errno));
      return out;
    }
    out.bytes.reserve(static_cast<size_t>(std::min(entry.size, cap)));  // kept until the end: no growth slack
    char buffer[64 * 1024];
    while (in) {
      in.read(buffer, sizeof buffer);
      const auto got = static_cast<uint64_t>(in.gcount());
      if (out.bytes.size() + got > cap) {
        out.bytes.append(buffer, static_cast<size_t>(cap - out.bytes.size()));
        out.truncated = true;
        break;
      }
      out.bytes.append(buffer, static_cast<size_t>(got));
    }
    if (in.bad()) out.error = "read failed";
    return out;
  }

  std::string link_target(const EntryHeader& entry) override {
    std::error_code ec;
    return fs::read_symlink(root_ / entry.raw_name, ec).string();
  }

 private:
  fs::path root_;
  std::vector<EntryHeader> entries_;
};

}  // namespace

Result<std::unique_ptr<PackageSource>> open_directory(const std::string& path) {
  auto source = std::make_unique<DirectorySource>(fs::path(path));
  if (auto error = source->walk()) return *error;
  return std::unique_ptr<PackageSource>(std::move(source));
}

Result<std::unique_ptr<PackageSource>> open_package(const std::string& path, const Limits& limits) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Error{ErrorCode::io, fmt::format("{}: {}", path, std::strerror(errno))};
  }
  if (S_ISDIR(st.st_mode)) return open_directory(path);
  if (!S_ISREG(st.st_mode)) {
    return Error{ErrorCode::io, fmt::format("{}: not a regular file or directory", path)};
  }
  return open_zip_file(path, limits);
}

}  // namespace pkgaudit::source
