// The zip source and the independent structure walk, on any bytes: every
// entry read, then read again in place once the first reading is done.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "source/package_source.hpp"
#include "source/zip_structure.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  (void)pkgaudit::source::check_zip_structure(bytes);
  auto source = pkgaudit::source::open_zip_bytes(bytes, "fuzz.zip");
  if (!source) return 0;
  for (const auto& entry : source.value()->entries()) {
    if (!entry.unreadable.empty()) continue;
    (void)source.value()->read(entry, 1u << 20);
    if (entry.type == pkgaudit::source::EntryType::symlink) (void)source.value()->link_target(entry);
  }
  const size_t count = source.value()->entries().size();
  std::vector<uint64_t> again;  // every other entry: the rest go through libzip again
  for (uint64_t i = 0; i < count; i += 2) again.push_back(i);
  source.value()->reading_done(std::move(again));
  for (size_t i = 0; i < count; ++i) (void)source.value()->read_again(i, 1u << 20);
  return 0;
}
