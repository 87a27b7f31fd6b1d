// docs/json-format.md is the contract: every field it lists is in the output.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <rapidjson/document.h>

#include "pkgaudit/auditor.hpp"
#include "zip_writer.hpp"

namespace fs = std::filesystem;
using namespace pkgaudit;

namespace {

// Section title -> documented fields, with whether they are conditional.
std::map<std::string, std::vector<std::pair<std::string, bool>>> documented_fields() {
  std::ifstream in(fs::path(PKGAUDIT_SOURCE_DIR) / "docs" / "json-format.md");
  std::map<std::string, std::vector<std::pair<std::string, bool>>> out;
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) section = line.substr(3);
    if (!line.starts_with("| `") || section.empty()) continue;
    const size_t end = line.find('`', 3);
    const std::string field = line.substr(3, end - 3);
    const bool conditional = line.find("(when") != std::string::npos || line.find("(with") != std::string::npos;
    out[section].emplace_back(field, conditional);
  }
  return out;
}

}  // namespace

TEST_CASE("the JSON report has every field docs/json-format.md documents") {
  const auto docs = documented_fields();
  REQUIRE(docs.count("Top level"));
  REQUIRE(docs.count("Finding"));
  REQUIRE(docs.count("File"));
  REQUIRE(docs.count("Summary"));
  const fs::path zip = fs::temp_directory_path() / ("pkgaudit-json-" + std::to_string(::getpid()) + ".zip");
  REQUIRE(pkgaudit::testing::write_zip(zip.string(), {{"up.sh", "#!/bin/sh\nsudo a  # pkgaudit: ignore[PA201] ok\nsudo b\n"},
                                                       {"bin/blob", std::string("\0\1", 2)}})
              .empty());
  auto result = audit_path(zip.string(), Options{});
  REQUIRE(result);
  Report report = std::move(result).value();
  // A baseline from the same scan, so the baseline field is present.
  const fs::path base = fs::temp_directory_path() / ("pkgaudit-json-" + std::to_string(::getpid()) + ".sarif");
  std::ofstream(base) << render_sarif(report);
  REQUIRE_FALSE(apply_baseline(report, base.string()).has_value());
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(render_json(report).c_str()).HasParseError());
  for (const auto& [field, conditional] : docs.at("Top level")) CHECK_MESSAGE(d.HasMember(field.c_str()), field);
  CHECK(d["version"].GetInt() == 1);
  bool suppressed_seen = false;
  for (const auto& f : d["findings"].GetArray()) {
    const bool suppressed = f["suppressed"].GetBool();
    suppressed_seen = suppressed_seen || suppressed;
    for (const auto& [field, conditional] : docs.at("Finding")) {
      if (field == "justification" && !suppressed) continue;
      CHECK_MESSAGE(f.HasMember(field.c_str()), field);
    }
  }
  CHECK(suppressed_seen);
  bool not_audited_seen = false;
  for (const auto& f : d["files"].GetArray()) {
    const bool audited = f["audited"].GetBool();
    not_audited_seen = not_audited_seen || !audited;
    for (const auto& [field, conditional] : docs.at("File")) {
      if (field == "reason" && audited) continue;
      CHECK_MESSAGE(f.HasMember(field.c_str()), field);
    }
  }
  CHECK(not_audited_seen);
  for (const auto& [field, conditional] : docs.at("Summary")) CHECK_MESSAGE(d["summary"].HasMember(field.c_str()), field);
  fs::remove(zip);
  fs::remove(base);
}
