// The crontab parser (schedules, environment lines, % handling, commands).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/cron/crontab.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pkgaudit::Limits limits;
  limits.parse_milliseconds = 500;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)pkgaudit::cron::parse_crontab(text, "etc/cron.d/fuzz", limits);
  (void)pkgaudit::cron::parse_crontab(text, "var/spool/cron/crontabs/fuzz", limits);
  return 0;
}
