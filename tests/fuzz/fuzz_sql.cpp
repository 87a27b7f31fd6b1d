// The SQL lexer, splitter and statement analysis, in both dialects.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/sql/sql_script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto dialect : {pkgaudit::sql::Dialect::postgres, pkgaudit::sql::Dialect::mysql}) {
    pkgaudit::sql::LexOptions options;
    options.dialect = dialect;
    (void)pkgaudit::sql::parse_sql(text, {}, options);
  }
  (void)pkgaudit::sql::guess_dialect(text);
  return 0;
}
