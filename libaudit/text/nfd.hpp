// Unicode canonical decomposition (NFD) of UTF-8 text, for comparing entry
// names: "café" typed on Linux (NFC) and saved on macOS (NFD) are one name
// to HFS+/APFS and to some extractors. The tables come from
// libaudit/data/unicode-canonical.txt (scripts/update-unicode-data).
#pragma once

#include <string>
#include <string_view>

namespace pkgaudit::text {

// Bytes that are not valid UTF-8 pass through unchanged.
std::string nfd(std::string_view utf8);

}  // namespace pkgaudit::text
