// The RapidJSON writer both JSON-shaped formats (SARIF and pkgaudit's own)
// write through; string_view in, so no key or value needs a terminating NUL.
#pragma once

#include <stdexcept>
#include <string_view>

#include <rapidjson/writer.h>

#include "report/sink.hpp"

namespace pkgaudit::report {

// Every string is checked as UTF-8 on the way out: a backstop behind the
// sanitising of names and messages, so a miss becomes an internal error
// (a bug report), never a SARIF log a viewer rejects.
using Writer = rapidjson::Writer<Sink, rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator,
                                 rapidjson::kWriteValidateEncodingFlag>;

[[noreturn]] inline void invalid(std::string_view what) {
  throw std::runtime_error("the report writer refused invalid UTF-8 in a " + std::string(what));
}

inline void str(Writer& w, std::string_view s) {
  if (!w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()))) invalid("value");
}
inline void key(Writer& w, std::string_view s) {
  if (!w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()))) invalid("key");
}

}  // namespace pkgaudit::report
