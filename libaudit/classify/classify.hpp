// What kind of file an entry is, from its path, extension, shebang and
// content, per DESIGN.md "Classify".
#pragma once

#include <string_view>

#include "pkgaudit/report.hpp"

namespace pkgaudit::classify {

// `path` is the normalised inner path; `content` is the entry's bytes (only
// the first few KiB are looked at).
FileKind classify(std::string_view path, std::string_view content);

// Whether the bytes start like a zip archive (a local header, or the end
// record of an empty one): what the pipeline opens as a nested archive.
bool is_zip_content(std::string_view content);

// The interpreter a shebang names ("bash" for "#!/usr/bin/env bash"), or
// empty when there is no shebang.
std::string_view shebang_interpreter(std::string_view content);

}  // namespace pkgaudit::classify
