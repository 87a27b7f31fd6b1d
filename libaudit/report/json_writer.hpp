// The RapidJSON writer both JSON-shaped formats (SARIF and pkgaudit's own)
// write through; string_view in, so no key or value needs a terminating NUL.
#pragma once

#include <stdexcept>
#include <string_view>

#include <rapidjson/writer.h>

#include "pkgaudit/finding_list.hpp"
#include "report/finding_list_access.hpp"
#include "report/in_order.hpp"
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

// The first `count` findings as the elements of an array a writer has
// just opened on `out`, each written by write_one(writer, finding) and
// formatted on `jobs` threads (in_order.hpp). They go to `out` as text
// the array's own writer never sees: it only closes the array after.
template <typename WriteOne>
void findings_array(Sink& out, const FindingList& findings, size_t count, unsigned jobs, WriteOne write_one) {
  constexpr size_t kPerChunk = 512;
  bool first = true;
  format_in_order<std::string>(
      count, kPerChunk, jobs,
      [&](size_t begin, size_t end, std::string& chunk) {
        Sink text;
        Writer element(text);
        Finding f;
        for (size_t i = begin; i < end; ++i) {
          detail::FindingListAccess::decode(findings, i, f);
          if (i > begin) text += ',';
          element.Reset(text);
          write_one(element, f);
        }
        chunk = text.take();
      },
      [&](std::string& chunk) {
        if (!first) out += ',';
        first = false;
        out += chunk;
      });
}

}  // namespace pkgaudit::report
