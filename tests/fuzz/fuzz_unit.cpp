// The systemd unit parser (sections, continuations, Exec*= lines).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/unit/unit_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pkgaudit::Limits limits;
  limits.parse_milliseconds = 500;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)pkgaudit::unit::parse_unit(text, "etc/systemd/system/fuzz.service", limits);
  (void)pkgaudit::unit::parse_unit(text, "etc/systemd/system/fuzz@.timer.d/override.conf", limits);
  return 0;
}
