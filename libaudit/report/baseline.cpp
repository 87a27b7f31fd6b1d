// --baseline OLD.sarif: which findings are new, unchanged, updated, or gone.
// Results are matched by rule and the pkgaudit/v1 fingerprint, which never
// includes a line number, so edits above a finding do not make it "new".
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "pkgaudit/report.hpp"

namespace pkgaudit {
namespace {

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct OldResult {
  Finding finding;
  bool matched = false;
};

const rapidjson::Value* member(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return nullptr;
  const auto it = v.FindMember(name);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string string_at(const rapidjson::Value& v, std::initializer_list<const char*> path) {
  const rapidjson::Value* cur = &v;
  for (const char* p : path) {
    cur = member(*cur, p);
    if (!cur) return {};
  }
  return cur->IsString() ? std::string(cur->GetString(), cur->GetStringLength()) : std::string{};
}

uint32_t uint_at(const rapidjson::Value& v, std::initializer_list<const char*> path) {
  const rapidjson::Value* cur = &v;
  for (const char* p : path) {
    cur = member(*cur, p);
    if (!cur) return 0;
  }
  return cur->IsUint() ? cur->GetUint() : 0;
}

}  // namespace

std::optional<Error> apply_baseline(Report& report, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::io, fmt::format("{}: cannot read the baseline", path)};
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  if (doc.Parse(text.str().c_str()).HasParseError() || !doc.IsObject() || !member(doc, "runs") ||
      !(*member(doc, "runs")).IsArray()) {
    return Error{ErrorCode::usage, fmt::format("{}: not a SARIF log (no runs array)", path)};
  }
  std::multimap<std::pair<std::string, std::string>, OldResult> old;
  for (const auto& run : (*member(doc, "runs")).GetArray()) {
    const rapidjson::Value* results = member(run, "results");
    if (!results || !results->IsArray()) continue;
    for (const auto& r : results->GetArray()) {
      if (string_at(r, {"baselineState"}) == "absent") continue;
      OldResult o;
      Finding& f = o.finding;
      f.rule_id = string_at(r, {"ruleId"});
      f.fingerprint = string_at(r, {"partialFingerprints", "pkgaudit/v1"});
      f.message = string_at(r, {"message", "text"});
      f.level = parse_level(string_at(r, {"level"})).value_or(Level::warning);
      const rapidjson::Value* locations = member(r, "locations");
      if (locations && locations->IsArray() && !locations->Empty()) {
        const auto& pl = *member((*locations)[0], "physicalLocation");
        f.location.path = percent_decode(string_at(pl, {"artifactLocation", "uri"}));
        f.location.line = uint_at(pl, {"region", "startLine"});
        f.location.column = uint_at(pl, {"region", "startColumn"});
        f.location.end_line = uint_at(pl, {"region", "endLine"});
        f.location.end_column = uint_at(pl, {"region", "endColumn"});
        f.location.snippet = string_at(pl, {"region", "snippet", "text"});
      }
      f.line_hash = string_at(r, {"partialFingerprints", "primaryLocationLineHash"});
      f.baseline = BaselineState::absent;
      if (f.rule_id.empty() || f.fingerprint.empty()) continue;
      old.emplace(std::make_pair(f.rule_id, f.fingerprint), std::move(o));
    }
  }
  for (size_t i = 0; i < report.findings.size(); ++i) {
    const Finding f = report.findings[i];
    BaselineState state = BaselineState::new_;
    auto [begin, end] = old.equal_range({f.rule_id, f.fingerprint});
    for (auto it = begin; it != end; ++it) {
      if (it->second.matched) continue;
      it->second.matched = true;
      const Finding& o = it->second.finding;
      state = o.message == f.message && o.level == f.level ? BaselineState::unchanged : BaselineState::updated;
      break;
    }
    report.findings.set_baseline(i, state);
  }
  for (auto& [key, o] : old) {
    if (!o.matched) report.findings.push_back(o.finding);
  }
  report.baseline_applied = true;
  return std::nullopt;
}

}  // namespace pkgaudit
