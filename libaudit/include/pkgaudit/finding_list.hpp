#pragma once

#include "pkgaudit/export.hpp"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "pkgaudit/finding.hpp"

namespace pkgaudit {

namespace detail {
struct FindingListAccess;
}

// A report's findings, held encoded and compressed: about 54 bytes each,
// where a Finding and its strings take about 800 (a 50,000-file package
// has 430,000 findings, and the report's list was most of the audit's peak
// memory). Reading in order is cheapest: each thread remembers where it
// read last, and a finding of another block than the one this thread read
// last costs decompressing its block (32 KiB) and reading its records up
// to that finding. Each is decoded when it is read:
// `for (const Finding& f : report.findings)` reads as it would over a
// vector, and operator[] gives a copy; change a finding by replacing the list.
class PKGAUDIT_API FindingList {
 public:
  // Decodes into a record of its own, whose strings keep their buffers
  // from one finding to the next: what *it refers to lasts until the
  // iterator moves or goes (as std::istream_iterator's).
  class const_iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Finding;
    using difference_type = std::ptrdiff_t;
    using pointer = const Finding*;
    using reference = const Finding&;

    const_iterator() = default;
    const Finding& operator*() const;
    const Finding* operator->() const { return &**this; }
    const_iterator& operator++() {
      ++index_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator was = *this;
      ++index_;
      return was;
    }
    bool operator==(const const_iterator& other) const { return list_ == other.list_ && index_ == other.index_; }

   private:
    friend class FindingList;
    const_iterator(const FindingList* list, size_t index) : list_(list), index_(index) {}
    const FindingList* list_ = nullptr;
    size_t index_ = 0;
    mutable Finding current_;
    mutable size_t decoded_ = SIZE_MAX;  // the index current_ holds
  };

  FindingList() = default;
  explicit FindingList(const std::vector<Finding>& findings);
  FindingList(FindingList&&) noexcept = default;
  FindingList& operator=(FindingList&&) noexcept = default;
  FindingList(const FindingList& other);
  FindingList& operator=(const FindingList& other);
  ~FindingList() = default;

  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // Decoded copies: a change to one does not reach the list.
  const Finding operator[](size_t index) const;
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

  void push_back(const Finding& finding);
  // Moves `other`'s findings to the end of this list.
  void append(FindingList&& other);
  void set_baseline(size_t index, BaselineState state);
  void clear() noexcept;

 private:
  friend struct detail::FindingListAccess;
  struct Block {
    std::unique_ptr<char[]> bytes;
    size_t size = 0;
    size_t capacity = 0;
    uint32_t raw = 0;    // > 0: `bytes` hold this many bytes compressed (zstd)
    uint32_t count = 0;  // findings whose records it holds
    size_t first = 0;    // the index of the first
    uint64_t id = 0;     // unique in the process: names it to a reader's cache and to where it read last
  };
  char* reserve(size_t bytes);
  // The block's records, decompressed into this thread's buffer when they
  // are compressed: valid until this thread reads another compressed block.
  const char* records(size_t block) const;
  // The block holding finding `index`, and its record's offset in it.
  std::pair<size_t, uint32_t> locate(size_t index) const;

  // Records only, no index of them: an offset per finding was another 12
  // bytes to the 54 a finding's record costs.
  std::vector<Block> blocks_;
  size_t size_ = 0;
  // Empty while every finding's state is `none` (all but a baseline run's).
  std::vector<BaselineState> baselines_;
};

}  // namespace pkgaudit
