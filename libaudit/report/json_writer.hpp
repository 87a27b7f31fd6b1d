// The RapidJSON writer both JSON-shaped formats (SARIF and pkgaudit's own)
// write through; string_view in, so no key or value needs a terminating NUL.
#pragma once

#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace pkgaudit::report {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline void str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
inline void key(Writer& w, std::string_view s) { w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

}  // namespace pkgaudit::report
