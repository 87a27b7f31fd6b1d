#include "pkgaudit/finding_list.hpp"

#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "report/finding_list_access.hpp"

namespace pkgaudit {
namespace {

// Lowercase only: an uppercase digit would not come back as it went in.
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A finding's record: numbers as LEB128, a string as its length and its
// bytes, a digest's leading hex digits as bytes. The sort key comes first,
// so that it is read without decoding the rest. A sealed block of records
// is then compressed whole: zstd finds what the findings of a block repeat
// (paths, rule ids, snippets, messages and their templates), so the
// records do not refer to each other.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void number(uint64_t v) {
    do {
      out_ += static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
      v >>= 7;
    } while (v != 0);
  }
  void text(std::string_view s) {
    number(s.size());
    out_.append(s);
  }
  // Fingerprints and line hashes are hex digests (and a count): their
  // digits held as bytes, half the room, where zstd finds nothing to share.
  void hex_then_text(std::string_view s) {
    size_t digits = 0;
    while (digits < s.size() && hex_value(s[digits]) >= 0) ++digits;
    digits &= ~size_t{1};
    number(digits / 2);
    const size_t at = out_.size();
    out_.resize(at + digits / 2);
    char* byte = out_.data() + at;
    for (size_t i = 0; i < digits; i += 2) *byte++ = static_cast<char>(hex_value(s[i]) * 16 + hex_value(s[i + 1]));
    text(s.substr(digits));
  }
  void rest_of_location(const Location& l) {
    number(l.end_line);
    number(l.end_column);
    text(l.snippet);
    number(l.snippet_column);
  }
  void finding(const Finding& f) {
    text(f.rule_id);
    text(f.message);
    text(f.location.path);
    number(f.location.line);
    number(f.location.column);
    number(static_cast<uint64_t>(f.level));
    number(f.suppressed ? 1 : 0);
    rest_of_location(f.location);
    number(f.related.size());
    for (const RelatedLocation& r : f.related) {
      text(r.location.path);
      number(r.location.line);
      number(r.location.column);
      rest_of_location(r.location);
      text(r.message);
    }
    hex_then_text(f.fingerprint);
    hex_then_text(f.line_hash);
    text(f.justification);
  }

 private:
  std::string& out_;
};

class Reader {
 public:
  Reader(const char* block, size_t offset) : at_(block + offset) {}

  uint64_t number() {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(*at_++);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
  }
  uint32_t number32() { return static_cast<uint32_t>(number()); }
  std::string_view view() {
    const uint64_t n = number();
    const std::string_view s(at_, n);
    at_ += n;
    return s;
  }
  void text(std::string& into) { into.assign(view()); }
  void hex_then_text(std::string& into) {
    static constexpr char kDigits[] = "0123456789abcdef";
    const size_t bytes = number();
    into.resize(bytes * 2);
    for (size_t i = 0; i < bytes; ++i) {
      const auto byte = static_cast<unsigned char>(*at_++);
      into[2 * i] = kDigits[byte >> 4];
      into[2 * i + 1] = kDigits[byte & 15];
    }
    into.append(view());
  }
  void rest_of_location(Location& l) {
    l.end_line = number32();
    l.end_column = number32();
    text(l.snippet);
    l.snippet_column = number32();
  }
  // Past a record without decoding it; returns where the next begins.
  const char* skip_finding() {
    const auto skip_text = [this] { at_ += number(); };
    const auto skip_rest_of_location = [&] {
      number();
      number();
      skip_text();
      number();
    };
    for (int i = 0; i < 3; ++i) skip_text();  // rule, message, path
    for (int i = 0; i < 4; ++i) number();     // line, column, level, suppressed
    skip_rest_of_location();
    for (uint64_t n = number(); n > 0; --n) {
      skip_text();
      number();
      number();
      skip_rest_of_location();
      skip_text();
    }
    for (int i = 0; i < 2; ++i) {  // fingerprint, line hash
      at_ += number();
      skip_text();
    }
    skip_text();  // justification
    return at_;
  }
  void finding(Finding& f) {
    text(f.rule_id);
    text(f.message);
    text(f.location.path);
    f.location.line = number32();
    f.location.column = number32();
    f.level = static_cast<Level>(number());
    f.suppressed = number() != 0;
    rest_of_location(f.location);
    f.related.resize(number());
    for (RelatedLocation& r : f.related) {
      text(r.location.path);
      r.location.line = number32();
      r.location.column = number32();
      rest_of_location(r.location);
      text(r.message);
    }
    hex_then_text(f.fingerprint);
    hex_then_text(f.line_hash);
    text(f.justification);
  }

 private:
  const char* at_;
};

// Blocks start small and double up to this, so that a list of a few
// findings holds a few KiB and a large one is not copied as it grows.
constexpr size_t kMinBlock = 4096;
constexpr size_t kMaxBlock = size_t{1} << 20;
// A list built whole is sealed in blocks of about this many bytes, each
// compressed on its own. The auditor's merge holds one block of every run
// decompressed where the runs' paths interleave (a package whose entries
// are not in path order: 330 runs at 50,000 files of the bench package);
// LZ4 found what findings repeat (the templates of a rule's messages, a
// script's paths and lines) almost as well in 32 KiB as in 64 (7% more
// bytes at 10,000 files) and 16 (another 10%).
constexpr size_t kSealedBlock = 32 * 1024;
// zstd's fastest regular level: a fifth smaller than LZ4 was on findings
// (every block sealed for the 10,000-file bench package: 12.97 -> 10.07
// MB; 4.5 MiB of peak RSS at 50,000 files), for 2% more instructions in
// all (callgrind, 1,000 files); its negative levels gain less for little
// less time, a smaller hash table nothing.
constexpr int kLevel = 1;

std::atomic<uint64_t> next_block_id{1};

// One pair of contexts a thread, reused for every block.
struct Contexts {
  ZSTD_CCtx* compress = ZSTD_createCCtx();
  ZSTD_DCtx* decompress = ZSTD_createDCtx();
  Contexts() {
    if (!compress || !decompress) throw std::bad_alloc();
  }
  ~Contexts() {
    ZSTD_freeCCtx(compress);
    ZSTD_freeDCtx(decompress);
  }
};
Contexts& contexts() {
  thread_local Contexts c;
  return c;
}

void decompress(const char* from, size_t size, char* into, uint32_t raw) {
  const size_t n = ZSTD_decompressDCtx(contexts().decompress, into, raw, from, size);
  if (ZSTD_isError(n) || n != raw) throw std::runtime_error("FindingList: a block does not decompress");
}

}  // namespace

FindingList::FindingList(const std::vector<Finding>& findings) : size_(findings.size()) {
  // Blocks of the exact size, each of about kSealedBlock bytes, so that a
  // reader going through the list in order can free what it has read.
  // Written first into a buffer each thread keeps (a little over a block):
  // growing a new one for every list cost more page faults than encoding.
  thread_local std::string bytes;
  thread_local std::string packed;
  bytes.clear();
  size_t first = 0;
  uint32_t count = 0;
  const auto seal = [&] {
    Block block;
    std::string_view kept = bytes;
    // Kept as they are when compressing saves less than an eighth.
    if (bytes.size() <= UINT32_MAX) {
      const size_t bound = ZSTD_compressBound(bytes.size());
      if (packed.size() < bound) packed.resize(bound);
      const size_t n = ZSTD_compressCCtx(contexts().compress, packed.data(), bound, bytes.data(), bytes.size(), kLevel);
      if (!ZSTD_isError(n) && n < bytes.size() - bytes.size() / 8) {
        kept = std::string_view(packed.data(), n);
        block.raw = static_cast<uint32_t>(bytes.size());
      }
    }
    block.size = block.capacity = kept.size();
    block.bytes = std::make_unique_for_overwrite<char[]>(std::max<size_t>(kept.size(), 1));
    std::memcpy(block.bytes.get(), kept.data(), kept.size());
    block.first = first;
    block.count = count;
    block.id = next_block_id.fetch_add(1, std::memory_order_relaxed);
    blocks_.push_back(std::move(block));
    bytes.clear();
    first += count;
    count = 0;
  };
  for (const Finding& f : findings) {
    if (bytes.size() >= kSealedBlock) seal();
    Writer(bytes).finding(f);
    ++count;
  }
  if (!bytes.empty()) seal();
  for (size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].baseline == BaselineState::none) continue;
    if (baselines_.empty()) baselines_.resize(findings.size(), BaselineState::none);
    baselines_[i] = findings[i].baseline;
  }
}

FindingList::FindingList(const FindingList& other) : size_(other.size_), baselines_(other.baselines_) {
  blocks_.reserve(other.blocks_.size());
  for (const Block& b : other.blocks_) {
    Block copy;
    copy.size = copy.capacity = b.size;
    copy.raw = b.raw;
    copy.count = b.count;
    copy.first = b.first;
    // A sealed block's bytes never change: a reader's cache of one serves
    // the other. A block still open to push_back may grow differently in
    // each list: where a reader stopped in one is no place in the other.
    copy.id = b.raw != 0 ? b.id : next_block_id.fetch_add(1, std::memory_order_relaxed);
    copy.bytes = std::make_unique_for_overwrite<char[]>(std::max<size_t>(b.size, 1));
    if (b.size) std::memcpy(copy.bytes.get(), b.bytes.get(), b.size);
    blocks_.push_back(std::move(copy));
  }
}

FindingList& FindingList::operator=(const FindingList& other) {
  if (this != &other) *this = FindingList(other);
  return *this;
}

const Finding FindingList::operator[](size_t index) const {
  if (index >= size_) throw std::out_of_range("FindingList: index out of range");
  Finding f;
  detail::FindingListAccess::decode(*this, index, f);
  return f;
}

const Finding& FindingList::const_iterator::operator*() const {
  if (decoded_ != index_) {
    if (!list_ || index_ >= list_->size()) throw std::out_of_range("FindingList: iterator out of range");
    detail::FindingListAccess::decode(*list_, index_, current_);
    decoded_ = index_;
  }
  return current_;
}

const char* FindingList::records(size_t block) const {
  const Block& b = blocks_[block];
  if (b.raw == 0) return b.bytes.get();
  struct Decompressed {
    uint64_t id = 0;
    std::unique_ptr<char[]> bytes;
    size_t capacity = 0;
  };
  thread_local Decompressed cache;
  if (cache.id != b.id) {
    cache.id = 0;
    // Not kept larger than need be after a block of one outsized finding.
    if (cache.capacity < b.raw || cache.capacity > 4 * std::max<size_t>(b.raw, kSealedBlock)) {
      cache.bytes.reset();
      cache.capacity = std::max<size_t>(b.raw, kSealedBlock + kSealedBlock / 2);
      cache.bytes = std::make_unique_for_overwrite<char[]>(cache.capacity);
    }
    decompress(b.bytes.get(), b.size, cache.bytes.get(), b.raw);
    cache.id = b.id;
  }
  return cache.bytes.get();
}

std::pair<size_t, uint32_t> FindingList::locate(size_t index) const {
  const auto after = std::upper_bound(blocks_.begin(), blocks_.end(), index,
                                      [](size_t i, const Block& b) { return i < b.first; });
  const auto block = static_cast<size_t>(after - blocks_.begin()) - 1;
  const Block& b = blocks_[block];
  const char* at = records(block);
  // Where this thread read last, by block: a finding's place in its block
  // and its offset do not change when the list is copied or appended to.
  struct Cursor {
    uint64_t block_id = 0;
    size_t nth = 0;
    uint32_t offset = 0;
  };
  thread_local Cursor cursor;
  const size_t nth = index - b.first;
  size_t from = 0;
  uint32_t offset = 0;
  if (cursor.block_id == b.id && cursor.nth <= nth) {
    from = cursor.nth;
    offset = cursor.offset;
  }
  for (; from < nth; ++from) offset = static_cast<uint32_t>(Reader(at, offset).skip_finding() - at);
  cursor = {b.id, nth, offset};
  return {block, offset};
}

char* FindingList::reserve(size_t bytes) {
  if (blocks_.empty() || blocks_.back().capacity - blocks_.back().size < bytes) {
    const size_t last = blocks_.empty() ? 0 : blocks_.back().capacity;
    Block block;
    block.capacity = std::max(bytes, std::clamp(last * 2, kMinBlock, kMaxBlock));
    block.bytes = std::make_unique_for_overwrite<char[]>(block.capacity);
    block.first = size_;
    block.id = next_block_id.fetch_add(1, std::memory_order_relaxed);
    blocks_.push_back(std::move(block));
  }
  return blocks_.back().bytes.get() + blocks_.back().size;
}

void FindingList::push_back(const Finding& finding) {
  std::string bytes;
  Writer(bytes).finding(finding);
  std::memcpy(reserve(bytes.size()), bytes.data(), bytes.size());
  blocks_.back().size += bytes.size();
  ++blocks_.back().count;
  if (finding.baseline != BaselineState::none && baselines_.empty()) baselines_.resize(size_, BaselineState::none);
  if (!baselines_.empty()) baselines_.push_back(finding.baseline);
  ++size_;
}

void FindingList::append(FindingList&& other) {
  if (other.empty()) return;
  if (!other.baselines_.empty() || !baselines_.empty()) {
    baselines_.resize(size_, BaselineState::none);
    if (other.baselines_.empty()) baselines_.resize(size_ + other.size_, BaselineState::none);
    else baselines_.insert(baselines_.end(), other.baselines_.begin(), other.baselines_.end());
  }
  for (Block& b : other.blocks_) {
    b.first += size_;
    blocks_.push_back(std::move(b));
  }
  size_ += other.size_;
  other.clear();
  other.blocks_.shrink_to_fit();
  other.baselines_.shrink_to_fit();
}

void FindingList::set_baseline(size_t index, BaselineState state) {
  if (index >= size_) throw std::out_of_range("FindingList: index out of range");
  if (baselines_.empty()) {
    if (state == BaselineState::none) return;
    baselines_.resize(size_, BaselineState::none);
  }
  baselines_[index] = state;
}

void FindingList::clear() noexcept {
  blocks_.clear();
  baselines_.clear();
  size_ = 0;
}

namespace detail {

FindingListAccess::Key FindingListAccess::key(const FindingList& list, size_t index) {
  const auto [block, offset] = list.locate(index);
  return key_at(list.records(block), offset);
}

FindingListAccess::Key FindingListAccess::key_at(const char* records, uint32_t offset) {
  Reader r(records, offset);
  Key k;
  k.rule_id = r.view();
  k.message = r.view();
  k.path = r.view();
  k.line = r.number32();
  k.column = r.number32();
  return k;
}

void FindingListAccess::decode(const FindingList& list, size_t index, Finding& out) {
  const auto [block, offset] = list.locate(index);
  Reader(list.records(block), offset).finding(out);
  out.baseline = list.baselines_.empty() ? BaselineState::none : list.baselines_[index];
}

void FindingListAccess::decode_at(const char* records, uint32_t offset, Finding& out) {
  Reader(records, offset).finding(out);
  out.baseline = BaselineState::none;
}

size_t FindingListAccess::encoded_bytes(const FindingList& list) {
  size_t n = 0;
  for (const FindingList::Block& b : list.blocks_) n += b.size;
  return n;
}

size_t FindingListAccess::blocks(const FindingList& list) { return list.blocks_.size(); }

uint32_t FindingListAccess::count_of(const FindingList& list, size_t block) { return list.blocks_[block].count; }

uint32_t FindingListAccess::next_at(const char* records, uint32_t offset) {
  return static_cast<uint32_t>(Reader(records, offset).skip_finding() - records);
}

FindingListAccess::Records FindingListAccess::take_block(FindingList& list, size_t block) {
  FindingList::Block& b = list.blocks_[block];
  std::shared_ptr<char[]> records;
  if (b.raw == 0) {
    records = std::shared_ptr<char[]>(std::move(b.bytes));
  } else {
    records = std::shared_ptr<char[]>(new char[b.raw]);
    decompress(b.bytes.get(), b.size, records.get(), b.raw);
    b.bytes.reset();
  }
  b.size = b.capacity = 0;
  return records;
}

}  // namespace detail
}  // namespace pkgaudit
