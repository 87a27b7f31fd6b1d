// A run's findings held as one block of bytes between the run and the
// final join: the records (296 bytes each) and their strings' separate
// allocations would otherwise be held twice while the join builds the
// report's list (25 MB of the heap's peak at 10,000 files).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "pkgaudit/finding.hpp"

namespace pkgaudit::audit {

class PackedFindings {
 public:
  // Takes the findings' contents and frees the list.
  void pack(std::vector<Finding>& findings);
  // Writes the findings back to out[0, size()) and frees the block.
  void unpack(Finding* out);
  size_t size() const { return count_; }

 private:
  std::string bytes_;
  size_t count_ = 0;
};

}  // namespace pkgaudit::audit
