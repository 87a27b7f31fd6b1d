// Where a renderer's bytes go: a string (render_*) or a FILE* (write_*). A
// report of a large package runs to hundreds of MiB; writing it out in
// chunks keeps it from being held whole next to the findings it is built
// from. A RapidJSON output stream, so SARIF and JSON write through it too.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace pkgaudit::report {

class Sink {
 public:
  using Ch = char;

  Sink() = default;
  explicit Sink(std::FILE* file) : file_(file) { buffer_.reserve(kChunk + kChunk / 4); }

  void Put(char c) {
    buffer_.push_back(c);
    if (file_ && buffer_.size() >= kChunk) drain();
  }
  void Flush() {}  // RapidJSON calls it when a document ends; finish() is the real flush

  Sink& operator+=(std::string_view s) {
    buffer_.append(s);
    if (file_ && buffer_.size() >= kChunk) drain();
    return *this;
  }
  Sink& operator+=(char c) {
    Put(c);
    return *this;
  }

  // Writes what is left. False if any write to the file failed.
  bool finish() {
    if (file_) drain();
    return ok_;
  }
  std::string take() { return std::move(buffer_); }

 private:
  static constexpr size_t kChunk = 64 * 1024;

  void drain() {
    if (ok_ && !buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) ok_ = false;
    buffer_.clear();
  }

  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool ok_ = true;
};

}  // namespace pkgaudit::report
