// What the auditor reads of an encoded finding without decoding it: the
// sort key, as views into the list's records, and a finding decoded into a
// record of the caller's.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "pkgaudit/finding_list.hpp"

namespace pkgaudit::detail {

struct FindingListAccess {
  struct Key {
    std::string_view rule_id;
    std::string_view message;
    std::string_view path;
    uint32_t line = 0;
    uint32_t column = 0;
  };
  // Views into the list's records: valid while the list lives unchanged
  // and, where its blocks are compressed, until this thread reads another
  // compressed block.
  static Key key(const FindingList& list, size_t index);
  // Into `out`'s strings, which keep their buffers where they can.
  static void decode(const FindingList& list, size_t index, Finding& out);
  // The bytes its blocks hold (compressed where they are).
  static size_t encoded_bytes(const FindingList& list);

  // A reader that goes through a list once, in order, takes each block's
  // records from it (decompressed; the list no longer holds the block, and
  // its findings are not read from the list again) and reads the block's
  // count_of findings one after the other: the first at offset 0, each
  // next at next_at the one before. The records go with their last holder.
  using Records = std::shared_ptr<const char[]>;
  static size_t blocks(const FindingList& list);
  static uint32_t count_of(const FindingList& list, size_t block);
  static Records take_block(FindingList& list, size_t block);
  static uint32_t next_at(const char* records, uint32_t offset);
  static Key key_at(const char* records, uint32_t offset);
  // The baseline state is the list's, not the records': none.
  static void decode_at(const char* records, uint32_t offset, Finding& out);
};

}  // namespace pkgaudit::detail
