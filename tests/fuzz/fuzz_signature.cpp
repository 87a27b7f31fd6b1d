// Signature parsing and verification: the input is split on "\n--\n" into
// a JAR manifest, its .SF, the CMS block, a checksum list and its detached
// CMS signature, zipped in memory and audited with the signing rules only.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pkgaudit/auditor.hpp"
#include "zip_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  for (size_t begin = 0;;) {
    const size_t sep = input.find("\n--\n", begin);
    parts.push_back(input.substr(begin, sep == std::string::npos ? std::string::npos : sep - begin));
    if (sep == std::string::npos || parts.size() == 5) break;
    begin = sep + 4;
  }
  parts.resize(5);
  static const char* names[] = {"META-INF/MANIFEST.MF", "META-INF/VENDOR.SF", "META-INF/VENDOR.RSA", "SHA256SUMS",
                                "SHA256SUMS.p7s"};
  std::vector<pkgaudit::testing::ZipEntrySpec> entries;
  for (size_t i = 0; i < parts.size(); ++i) {
    pkgaudit::testing::ZipEntrySpec e;
    e.name = names[i];
    e.data = parts[i];
    entries.push_back(e);
  }
  pkgaudit::testing::ZipEntrySpec script;
  script.name = "install.sh";
  script.data = "#!/bin/sh\necho installed\n";
  entries.push_back(script);
  pkgaudit::Options options;
  options.select = {"PA6"};
  options.jobs = 1;
  options.verify_time = 1767225600;  // fixed: the same input behaves the same on every run
  (void)pkgaudit::audit_zip_bytes(pkgaudit::testing::raw_zip_bytes(entries), "fuzz.zip", options);
  return 0;
}
