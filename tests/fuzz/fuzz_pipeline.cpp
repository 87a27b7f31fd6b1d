// The whole pipeline on an in-memory zip, and every renderer on its report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pkgaudit/auditor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pkgaudit::Options options;
  options.jobs = 1;
  options.limits.parse_milliseconds = 500;
  options.limits.entry_bytes = 4u << 20;
  options.limits.total_bytes = 16u << 20;
  options.retired_hosts = {"*.old.example.com"};
  options.verify_time = 1767225600;
  auto report = pkgaudit::audit_zip_bytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.zip",
                                          options);
  if (!report) return 0;
  (void)pkgaudit::render_sarif(report.value());
  (void)pkgaudit::render_json(report.value());
  (void)pkgaudit::render_text(report.value(), {});
  return 0;
}
