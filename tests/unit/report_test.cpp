#include <doctest/doctest.h>

#include <cstdio>
#include <functional>

#include <rapidjson/document.h>

#include "pkgaudit/auditor.hpp"

using namespace pkgaudit;

namespace {

Report sample() {
  Report r;
  r.package = "pkg.zip";
  r.package_is_archive = true;
  r.artifacts.push_back({"pkg.zip", FileKind::nested_zip, 100, -1, true, {}});
  r.artifacts.push_back({"scripts/ü.sh", FileKind::shell, 10, 0, true, {}});
  r.artifacts.push_back({"etc/cron.d/x", FileKind::crontab, 10, 0, false, "no crontab parser"});
  Finding f;
  f.rule_id = "PA201";
  f.level = Level::warning;
  f.message = "`sudo ls` assumes root.";
  f.location = {"scripts/ü.sh", 3, 8, 3, 15, "echo é; sudo ls"};
  f.fingerprint = "abc";
  f.line_hash = "def:1";
  r.findings.push_back(f);
  r.rules_run = {"PA201"};
  return r;
}

}  // namespace

TEST_CASE("SARIF: structure, zip parent artifact, columnKind, notifications") {
  const std::string sarif = render_sarif(sample());
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(sarif.c_str()).HasParseError());
  CHECK(std::string(d["version"].GetString()) == "2.1.0");
  const auto& run = d["runs"][0];
  CHECK(std::string(run["columnKind"].GetString()) == "unicodeCodePoints");
  CHECK(run["artifacts"].Size() == 3);
  CHECK(run["artifacts"][1]["parentIndex"].GetInt() == 0);
  CHECK(std::string(run["artifacts"][1]["location"]["uriBaseId"].GetString()) == "PKGROOT");
  CHECK(std::string(run["artifacts"][1]["location"]["uri"].GetString()) == "scripts/%C3%BC.sh");
  const auto& result = run["results"][0];
  CHECK(std::string(result["ruleId"].GetString()) == "PA201");
  const auto& rules = run["tool"]["driver"]["rules"];
  CHECK(std::string(rules[result["ruleIndex"].GetUint()]["id"].GetString()) == "PA201");
  const auto& region = result["locations"][0]["physicalLocation"]["region"];
  CHECK(region["startColumn"].GetUint() == 8);
  CHECK(region["endColumn"].GetUint() == 15);
  CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["index"].GetUint() == 1);
  CHECK(result["partialFingerprints"].HasMember("pkgaudit/v1"));
  const auto& notes = run["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notes.Size() == 1);
  CHECK(std::string(notes[0]["message"]["text"].GetString()).find("etc/cron.d/x") != std::string::npos);
  for (const auto& rule : rules.GetArray()) {
    CHECK(rule["help"].HasMember("markdown"));
    CHECK(rule["properties"].HasMember("security-severity"));
  }
}

TEST_CASE("text report: location, caret under code points, summary; colour only when asked") {
  const std::string text = render_text(sample(), {.color = false});
  CHECK(text.find("scripts/ü.sh:3:8: warning[PA201] `sudo ls` assumes root.") != std::string::npos);
  CHECK(text.find("    3 | echo é; sudo ls\n      |        ^~~~~~~\n") != std::string::npos);
  CHECK(text.find("Findings: 0 errors, 1 warning, 0 notes") != std::string::npos);
  CHECK(text.find("etc/cron.d/x (crontab): no crontab parser") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(render_text(sample(), {.color = true}).find("\x1b[") != std::string::npos);
}

TEST_CASE("JSON report: documented fields") {
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(render_json(sample()).c_str()).HasParseError());
  CHECK(std::string(d["format"].GetString()) == "pkgaudit-report");
  CHECK(d["version"].GetUint() == 1);
  CHECK(d["findings"][0]["line"].GetUint() == 3);
  CHECK(std::string(d["findings"][0]["name"].GetString()) == "assumed-sudo");
  CHECK(d["summary"]["not_audited"].GetUint() == 1);
  CHECK(d["summary"]["findings_by_level"]["warning"].GetUint() == 1);
  CHECK(d["files"].Size() == 2);
}

TEST_CASE("write_* stream the same bytes render_* return, and say when a write failed") {
  Report r = sample();
  for (uint32_t line = 4; line < 3000; ++line) {  // well past one 64 KiB chunk
    Finding f = r.findings[0];
    f.location.line = f.location.end_line = line;
    r.findings.push_back(f);
  }
  const auto written = [](const std::function<bool(std::FILE*)>& write) {
    std::FILE* file = std::tmpfile();
    REQUIRE(file);
    CHECK(write(file));
    std::string bytes(static_cast<size_t>(std::ftell(file)), '\0');
    std::rewind(file);
    CHECK(std::fread(bytes.data(), 1, bytes.size(), file) == bytes.size());
    std::fclose(file);
    return bytes;
  };
  const std::string sarif = render_sarif(r);
  REQUIRE(sarif.size() > 3 * 64 * 1024);
  CHECK(written([&](std::FILE* f) { return write_sarif(r, f); }) == sarif);
  CHECK(written([&](std::FILE* f) { return write_json(r, f); }) == render_json(r));
  const TextStyle style{.color = true, .statistics = true};
  CHECK(written([&](std::FILE* f) { return write_text(r, style, f); }) == render_text(r, style));

  std::FILE* full = std::fopen("/dev/full", "wb");
  REQUIRE(full);
  CHECK_FALSE(write_sarif(r, full));
  std::fclose(full);
}

TEST_CASE("fail-on thresholds") {
  const Report r = sample();
  CHECK(has_findings_at_or_above(r, Level::warning));
  CHECK(has_findings_at_or_above(r, Level::note));
  CHECK_FALSE(has_findings_at_or_above(r, Level::error));
  CHECK_FALSE(has_findings_at_or_above(r, Level::none));
}

TEST_CASE("SARIF and JSON writers refuse invalid UTF-8 instead of writing a broken log") {
  // The library never builds such a report (names and messages are made
  // valid first); the writer's own check is the backstop behind that.
  Report r = sample();
  Finding f = r.findings[0];
  f.message = "bad \xff byte";
  r.findings = FindingList({f});
  CHECK_THROWS_WITH_AS(render_sarif(r), "the report writer refused invalid UTF-8 in a value", std::runtime_error);
  CHECK_THROWS_WITH_AS(render_json(r), "the report writer refused invalid UTF-8 in a value", std::runtime_error);
  f.message = "fine";
  r.findings = FindingList({f});
  CHECK_NOTHROW(render_sarif(r));
}
