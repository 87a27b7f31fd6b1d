#include "audit/packed_findings.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace pkgaudit::audit {
namespace {

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}

  void number(uint32_t v) {
    if (out_) out_->append(reinterpret_cast<const char*>(&v), sizeof v);
    size_ += sizeof v;
  }
  void text(std::string_view s) {
    number(static_cast<uint32_t>(s.size()));
    if (out_) out_->append(s);
    size_ += s.size();
  }
  void location(const Location& l) {
    text(l.path);
    number(l.line);
    number(l.column);
    number(l.end_line);
    number(l.end_column);
    text(l.snippet);
    number(l.snippet_column);
  }
  void finding(const Finding& f) {
    text(f.rule_id);
    number(static_cast<uint32_t>(f.level));
    text(f.message);
    location(f.location);
    number(static_cast<uint32_t>(f.related.size()));
    for (const RelatedLocation& r : f.related) {
      location(r.location);
      text(r.message);
    }
    text(f.fingerprint);
    text(f.line_hash);
    number(f.suppressed ? 1 : 0);
    text(f.justification);
    number(static_cast<uint32_t>(f.baseline));
  }
  size_t size() const { return size_; }

 private:
  std::string* out_;  // null: only counting
  size_t size_ = 0;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : at_(in.data()) {}

  uint32_t number() {
    uint32_t v = 0;
    std::memcpy(&v, at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string text() {
    const uint32_t n = number();
    std::string s(at_, n);
    at_ += n;
    return s;
  }
  Location location() {
    Location l;
    l.path = text();
    l.line = number();
    l.column = number();
    l.end_line = number();
    l.end_column = number();
    l.snippet = text();
    l.snippet_column = number();
    return l;
  }
  void finding(Finding& f) {
    f.rule_id = text();
    f.level = static_cast<Level>(number());
    f.message = text();
    f.location = location();
    f.related.resize(number());
    for (RelatedLocation& r : f.related) {
      r.location = location();
      r.message = text();
    }
    f.fingerprint = text();
    f.line_hash = text();
    f.suppressed = number() != 0;
    f.justification = text();
    f.baseline = static_cast<BaselineState>(number());
  }

 private:
  const char* at_;
};

}  // namespace

void PackedFindings::pack(std::vector<Finding>& findings) {
  Writer counting(nullptr);
  for (const Finding& f : findings) counting.finding(f);
  bytes_.reserve(bytes_.size() + counting.size());
  Writer writer(&bytes_);
  for (const Finding& f : findings) writer.finding(f);
  count_ += findings.size();
  findings = std::vector<Finding>();
}

void PackedFindings::unpack(Finding* out) {
  Reader reader(bytes_);
  for (size_t i = 0; i < count_; ++i) reader.finding(out[i]);
  bytes_ = std::string();
  count_ = 0;
}

}  // namespace pkgaudit::audit
