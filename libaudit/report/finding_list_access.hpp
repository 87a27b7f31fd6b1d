// What the auditor reads of an encoded finding without decoding it: the
// sort key, as views into the list's bytes (valid while the list lives and
// is not cleared), and a finding decoded into a record of the caller's.
#pragma once

#include <cstdint>
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
  static Key key(const FindingList& list, size_t index);
  // Into `out`'s strings, which keep their buffers where they can.
  static void decode(const FindingList& list, size_t index, Finding& out);
  // The bytes its blocks hold.
  static size_t encoded_bytes(const FindingList& list);
  // Findings are held in blocks; a reader done with every finding of a
  // block may free it (the findings in it are not read again). Blocks are
  // freed on several threads at once, never added to meanwhile.
  static size_t block_count(const FindingList& list);
  static size_t block_of(const FindingList& list, size_t index);
  static void free_block(FindingList& list, size_t block);
};

}  // namespace pkgaudit::detail
