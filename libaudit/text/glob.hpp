#pragma once

#include <string_view>

namespace pkgaudit::text {

// Shell-style globs over package paths: `*` and `?` stop at '/', `**`
// crosses directories ("migrations/**" matches everything below).
bool glob_match(std::string_view pattern, std::string_view path);

// Wildcards over any text (arguments, values): `*` matches any run of
// bytes, '/' included, `?` one byte. Linear in practice, O(n*m) at worst:
// no backtracking blow-up on hostile text.
bool wildcard_match(std::string_view pattern, std::string_view text);

}  // namespace pkgaudit::text
