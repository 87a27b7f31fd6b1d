#pragma once

#include <string_view>

namespace pkgaudit::text {

// Shell-style globs over package paths: `*` and `?` stop at '/', `**`
// crosses directories ("migrations/**" matches everything below).
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace pkgaudit::text
