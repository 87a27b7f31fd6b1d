#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <cerrno>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "source/package_source.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::source {
namespace {

std::string zip_open_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// A package on disk, read in place with pread: peak memory does not grow
// with the archive's size.
class FileBytes final : public ArchiveBytes {
 public:
  FileBytes(int fd, uint64_t size) : fd_(fd), size_(size) {}
  ~FileBytes() override { ::close(fd_); }
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  int fd() const { return fd_; }
  uint64_t size() const override { return size_; }
  bool read(uint64_t offset, uint64_t length, std::string& out) const override {
    if (offset > size_ || length > size_ - offset) return false;
    out.resize(static_cast<size_t>(length));
    for (uint64_t done = 0; done < length;) {
      const ssize_t n = ::pread(fd_, out.data() + done, static_cast<size_t>(length - done),
                                static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<uint64_t>(n);
    }
    return true;
  }

 private:
  int fd_;
  uint64_t size_;
};

// Appends what `cap` leaves room for; false, and `out` truncated, once it is reached.
bool keep_within(EntryData& out, const char* bytes, size_t n, uint64_t cap) {
  if (out.bytes.size() + n > cap) {
    out.bytes.append(bytes, static_cast<size_t>(cap - out.bytes.size()));
    out.truncated = true;
    return false;
  }
  out.bytes.append(bytes, n);
  return true;
}

// An entry's bytes read again at the location the structure walk found, a
// chunk at a time: stored, or raw deflate (zlib). At most `cap` bytes are
// kept; a read that is not cut short must give the declared size and CRC-32.
EntryData read_in_place(const ArchiveBytes& archive, const DataLocation& at, uint64_t cap) {
  EntryData out;
  const bool deflated = at.method == ZIP_CM_DEFLATE;
  z_stream stream{};
  if (deflated && inflateInit2(&stream, -MAX_WBITS) != Z_OK) {
    out.error = "cannot start inflating";
    return out;
  }
  const std::unique_ptr<z_stream, int (*)(z_stream*)> inflating(deflated ? &stream : nullptr, inflateEnd);
  out.bytes.reserve(static_cast<size_t>(std::min(at.uncompressed, cap)));
  constexpr uint64_t kChunk = 64 * 1024;
  std::string chunk;
  char inflated[kChunk];
  bool ended = !deflated;
  for (uint64_t done = 0; done < at.compressed && !(deflated && ended);) {
    const uint64_t n = std::min(kChunk, at.compressed - done);
    if (!archive.read(at.data + done, n, chunk)) {
      out.error = "read error";
      return out;
    }
    done += n;
    if (!deflated) {
      if (!keep_within(out, chunk.data(), chunk.size(), cap)) return out;
      continue;
    }
    stream.next_in = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_in = static_cast<uInt>(chunk.size());
    while (!ended && (stream.avail_in > 0 || stream.avail_out == 0)) {
      stream.next_out = reinterpret_cast<Bytef*>(inflated);
      stream.avail_out = static_cast<uInt>(sizeof inflated);
      const int status = inflate(&stream, Z_NO_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
        out.error = "compressed data is corrupt";
        return out;
      }
      ended = status == Z_STREAM_END;
      if (!keep_within(out, inflated, sizeof inflated - stream.avail_out, cap)) return out;
      if (status == Z_BUF_ERROR) break;  // needs the next chunk
    }
  }
  if (!ended) out.error = "compressed data ends early";
  else if (out.bytes.size() != at.uncompressed) out.error = "the size read differs from the size declared";
  else if (crc32_z(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(out.bytes.data()), out.bytes.size()) !=
           at.crc) {
    out.error = "CRC error";
  }
  return out;
}

class ZipSource final : public PackageSource {
 public:
  // An archive in memory (a nested archive, a caller's buffer).
  ZipSource(std::string bytes, std::string name) : bytes_(std::move(bytes)), name_(std::move(name)) {}
  // An archive on disk.
  ZipSource(std::unique_ptr<FileBytes> file, std::string name) : file_(std::move(file)), name_(std::move(name)) {}
  ~ZipSource() override {
    if (archive_) zip_discard(archive_);
  }
  ZipSource(const ZipSource&) = delete;
  ZipSource& operator=(const ZipSource&) = delete;

  std::optional<Error> open() {
    // libzip takes zero bytes for a new, empty archive; a package is never that.
    if ((file_ ? file_->size() : bytes_.size()) == 0) {
      return Error{ErrorCode::bad_package, fmt::format("{}: empty file, not a zip archive", name_)};
    }
    if (auto error = open_archive()) return error;
    structure_ = file_ ? check_zip_structure(*file_) : check_zip_structure(bytes_);
    enumerate();
    return std::nullopt;
  }

  bool is_archive() const override { return true; }
  const std::vector<EntryHeader>& entries() const override { return entries_; }

  EntryData read(const EntryHeader& entry, uint64_t cap) override { return read_with_libzip(entry.index, entry.size, cap); }

  std::vector<StructureProblem> structure_problems() const override { return structure_.problems; }

  std::string link_target(const EntryHeader& entry) override {
    EntryData data = read(entry, 4096);
    return data.bytes;
  }

  void reading_done(std::vector<uint64_t> again) override {
    if (archive_) zip_discard(archive_);
    archive_ = nullptr;
    entries_ = std::vector<EntryHeader>();
    std::sort(again.begin(), again.end());
    again.erase(std::unique(again.begin(), again.end()), again.end());
    for (const uint64_t index : again) {
      if (index < structure_.locations.size()) kept_.emplace_back(index, structure_.locations[index]);
    }
    std::vector<DataLocation>().swap(structure_.locations);
    done_ = true;
  }

  // Stored and deflated entries (nearly every entry of a real package) are
  // read in place at the walk's location, checked against the central
  // directory's size and CRC-32 as libzip checks them; any other method
  // opens the archive with libzip again.
  EntryData read_again(uint64_t index, uint64_t cap) override {
    if (const DataLocation* found = location_of(index)) {
      const DataLocation& at = *found;
      const bool encrypted = (at.flags & 0x01) != 0;
      if (at.data != DataLocation::kNone && !encrypted && (at.method == ZIP_CM_STORE || at.method == ZIP_CM_DEFLATE)) {
        return file_ ? read_in_place(*file_, at, cap) : read_in_place(BufferBytes(bytes_), at, cap);
      }
    }
    if (!archive_) {
      if (auto error = open_archive()) return {{}, false, error->message};
    }
    return read_with_libzip(index, 0, cap);
  }

 private:
  const DataLocation* location_of(uint64_t index) const {
    if (!done_) return index < structure_.locations.size() ? &structure_.locations[index] : nullptr;
    const auto it = std::lower_bound(kept_.begin(), kept_.end(), index,
                                     [](const auto& kept, uint64_t i) { return kept.first < i; });
    return it != kept_.end() && it->first == index ? &it->second : nullptr;
  }

  std::optional<Error> open_archive() {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = nullptr;
    if (file_) {
      // libzip reads through its own descriptor of the same open file.
      FILE* stream = nullptr;
      const int fd = ::dup(file_->fd());
      if (fd >= 0 && !(stream = ::fdopen(fd, "rb"))) {
        const int why = errno;
        ::close(fd);
        errno = why;
      }
      if (!stream) zip_error_set(&error, ZIP_ER_OPEN, errno);
      else if (!(src = zip_source_filep_create(stream, 0, -1, &error))) std::fclose(stream);
    } else {
      // The buffer is ours and outlives the archive; libzip must not free it.
      src = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    }
    if (!src) {
      Error e{ErrorCode::internal, fmt::format("{}: {}", name_, zip_error_strerror(&error))};
      zip_error_fini(&error);
      return e;
    }
    archive_ = zip_open_from_source(src, ZIP_RDONLY, &error);
    if (!archive_) {
      zip_source_free(src);
      const int code = zip_error_code_zip(&error);
      std::string why = code == ZIP_ER_NOZIP ? "not a zip archive (no end of central directory)"
                        : code == ZIP_ER_INCONS ? "inconsistent zip archive (truncated or corrupt)"
                                                : zip_open_error_text(code);
      zip_error_fini(&error);
      return Error{ErrorCode::bad_package, fmt::format("{}: {}", name_, why)};
    }
    zip_error_fini(&error);
    return std::nullopt;
  }

  // `size`: the declared size, a hint for the buffer.
  EntryData read_with_libzip(uint64_t index, uint64_t size, uint64_t cap) {
    EntryData out;
    // Closed however the read ends: appending can throw (out of memory).
    const std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> owned(zip_fopen_index(archive_, index, 0), zip_fclose);
    zip_file_t* file = owned.get();
    if (!file) {
      out.error = zip_strerror(archive_);
      return out;
    }
    // The text is kept until the end of the audit: no growth slack. The
    // declared size is only a hint (the reads below stop at the cap).
    out.bytes.reserve(static_cast<size_t>(std::min(size, cap)));
    // libzip checks sizes only at the end of an entry; our own counter stops
    // a bomb that declares 1 KiB and inflates to gigabytes.
    char buffer[64 * 1024];
    for (;;) {
      const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
      if (n < 0) {
        out.error = zip_file_strerror(file);
        break;
      }
      if (n == 0 || !keep_within(out, buffer, static_cast<size_t>(n), cap)) break;
    }
    return out;
  }

  void enumerate() {
    const zip_int64_t count = zip_get_num_entries(archive_, 0);
    // libzip has read that many entries of the central directory already.
    entries_.reserve(static_cast<size_t>(std::max<zip_int64_t>(count, 0)));
    for (zip_int64_t i = 0; i < count; ++i) {
      const auto index = static_cast<zip_uint64_t>(i);
      EntryHeader header;
      header.index = index;
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(archive_, index, 0, &st) != 0) {
        header.unreadable = zip_strerror(archive_);
        entries_.push_back(std::move(header));
        continue;
      }
      // The raw bytes decide what the name is: libzip's CP437 guess would
      // turn an ESC into an arrow and hide it. Only names that are not valid
      // UTF-8 take the guess (CP437 is the zip default encoding).
      const char* raw = zip_get_name(archive_, index, ZIP_FL_ENC_RAW);
      header.raw_name = raw ? raw : "";
      if (!text::is_valid_utf8(header.raw_name) && st.name) header.raw_name = st.name;
      // libzip's names end at the first NUL; the stored name may go on.
      if (index < structure_.names.size() && structure_.names[index].find('\0') != std::string::npos) {
        header.raw_name = structure_.names[index];
      }
      if (st.valid & ZIP_STAT_SIZE) header.size = st.size;
      if (st.valid & ZIP_STAT_COMP_SIZE) header.compressed_size = st.comp_size;
      header.compressed = (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE;
      header.encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
      zip_uint8_t opsys = 0;
      zip_uint32_t attributes = 0;
      zip_file_get_external_attributes(archive_, index, 0, &opsys, &attributes);
      const mode_t mode = static_cast<mode_t>(attributes >> 16);
      if (!header.raw_name.empty() && (header.raw_name.back() == '/' || header.raw_name.back() == '\\')) {
        header.type = EntryType::directory;
      } else if (opsys == ZIP_OPSYS_UNIX && S_ISLNK(mode)) {
        header.type = EntryType::symlink;
      }
      if (header.encrypted) header.unreadable = "encrypted entry";
      entries_.push_back(std::move(header));
    }
    // Read only here; held for the audit, they would be one more copy of every name.
    structure_.names = std::vector<std::string>();
  }

  std::string bytes_;
  std::unique_ptr<FileBytes> file_;
  std::string name_;
  zip_t* archive_ = nullptr;
  std::vector<EntryHeader> entries_;
  ZipStructure structure_;
  // Once the first reading is done, only the locations of the entries
  // that will be read again: the rest (most of a package) are not needed.
  bool done_ = false;
  std::vector<std::pair<uint64_t, DataLocation>> kept_;  // by index
};

}  // namespace

Result<std::unique_ptr<PackageSource>> open_zip_bytes(std::string bytes, const std::string& name) {
  auto source = std::make_unique<ZipSource>(std::move(bytes), name);
  if (auto error = source->open()) return *error;
  return std::unique_ptr<PackageSource>(std::move(source));
}

Result<std::unique_ptr<PackageSource>> open_zip_file(const std::string& path, const Limits& limits) {
  // O_NONBLOCK: a FIFO put in the file's place must not hang the audit.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Error{ErrorCode::io, fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const std::string why = S_ISREG(st.st_mode) || st.st_mode == 0 ? std::strerror(errno) : "not a regular file";
    ::close(fd);
    return Error{ErrorCode::io, fmt::format("{}: cannot read: {}", path, why)};
  }
  auto file = std::make_unique<FileBytes>(fd, static_cast<uint64_t>(st.st_size));
  if (file->size() > limits.archive_bytes) {
    return Error{ErrorCode::bad_package, fmt::format("{}: archive is {} bytes, over the {} byte limit for an archive",
                                                     path, file->size(), limits.archive_bytes)};
  }
  auto source = std::make_unique<ZipSource>(std::move(file), path);
  if (auto error = source->open()) return *error;
  return std::unique_ptr<PackageSource>(std::move(source));
}

}  // namespace pkgaudit::source
