#include <doctest/doctest.h>

#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "pkgaudit/auditor.hpp"
#include "report/in_order.hpp"

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

TEST_CASE("format_in_order: every chunk written once, in order, for any number of threads; errors reach the caller") {
  for (const unsigned jobs : {0U, 1U, 2U, 3U, 16U}) {
    for (const size_t count : {size_t{0}, size_t{1}, size_t{7}, size_t{100}, size_t{1001}}) {
      std::vector<size_t> seen;
      report::format_in_order<std::vector<size_t>>(
          count, 10, jobs,
          [](size_t begin, size_t end, std::vector<size_t>& chunk) {
            for (size_t i = begin; i < end; ++i) chunk.push_back(i);
          },
          [&](std::vector<size_t>& chunk) { seen.insert(seen.end(), chunk.begin(), chunk.end()); });
      INFO("jobs " << jobs << ", count " << count);
      REQUIRE(seen.size() == count);
      for (size_t i = 0; i < count; ++i) CHECK(seen[i] == i);
    }
  }
  const auto fails_in_format = [](unsigned jobs) {
    report::format_in_order<int>(
        1000, 10, jobs,
        [](size_t begin, size_t, int&) {
          if (begin == 500) throw std::runtime_error("format failed");
        },
        [](int&) {});
  };
  const auto fails_in_write = [](unsigned jobs) {
    size_t written = 0;
    report::format_in_order<int>(
        1000, 10, jobs, [](size_t, size_t, int&) {},
        [&](int&) {
          if (++written == 30) throw std::runtime_error("write failed");
        });
  };
  for (const unsigned jobs : {1U, 2U, 4U}) {
    CHECK_THROWS_WITH_AS(fails_in_format(jobs), "format failed", std::runtime_error);
    CHECK_THROWS_WITH_AS(fails_in_write(jobs), "write failed", std::runtime_error);
  }
}

TEST_CASE("renderers write the same bytes on any number of threads; a file's heading is written once across chunks") {
  // 2,600 findings in chunks of 512: a.sh's run crosses a chunk boundary,
  // the second chunk shows nothing (all suppressed) and the third starts
  // in a.sh still, then b.sh, c.sh; one finding has more related
  // locations than GitHub takes.
  Report r = sample();
  r.artifacts.push_back({"a.sh", FileKind::shell, 10, 0, true, {}});
  r.artifacts.push_back({"b.sh", FileKind::shell, 10, 0, true, {}});
  r.artifacts.push_back({"c.sh", FileKind::shell, 10, 0, true, {}});
  const Finding base = r.findings[0];
  std::vector<Finding> all;
  for (uint32_t i = 0; i < 2600; ++i) {
    Finding f = base;
    f.location.path = i < 1400 ? "a.sh" : i < 2000 ? "b.sh" : "c.sh";
    f.location.line = f.location.end_line = i + 1;
    f.suppressed = i >= 512 && i < 1024;
    if (f.suppressed) f.justification = "reviewed";
    if (i == 1500) {
      for (int k = 0; k < 1003; ++k) f.related.push_back({{"c.sh", 1, 1, 1, 2, "x"}, "called from here"});
    }
    all.push_back(f);
  }
  r.findings = FindingList(all);
  // A baseline run: fixed (absent) findings are counted, never shown.
  r.baseline_applied = true;
  for (size_t i = 0; i < all.size(); ++i) {
    r.findings.set_baseline(i, i % 7 == 0 ? BaselineState::absent : i % 3 == 0 ? BaselineState::new_ : BaselineState::unchanged);
  }
  const TextStyle plain{};
  const TextStyle coloured{.color = true, .statistics = true};
  const TextStyle quiet{.quiet = true, .statistics = true};
  r.jobs = 1;
  const std::string text = render_text(r, plain);
  const std::string sarif = render_sarif(r);
  const std::string json = render_json(r);
  const std::string text_coloured = render_text(r, coloured);
  const std::string text_quiet = render_text(r, quiet);
  std::vector<std::string> headings;
  for (size_t at = 0, end; at < text.size(); at = end + 1) {
    end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(at, end - at);
    if (line == "a.sh" || line == "b.sh" || line == "c.sh") headings.push_back(line);
  }
  CHECK(headings == std::vector<std::string>{"a.sh", "b.sh", "c.sh"});
  // 2,600 findings: 512 suppressed; of the rest, every seventh index fixed.
  size_t fixed = 0, fresh = 0, shown = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i % 7 == 0) ++fixed;
    else if (!all[i].suppressed) {
      ++shown;
      fresh += i % 3 == 0;
    }
  }
  CHECK(text.find(fmt::format("Findings: 0 errors, {} warnings, 0 notes; ", shown)) != std::string::npos);
  CHECK(text.find(fmt::format("{} new, {} unchanged, 0 updated, {} fixed (baseline)", fresh, shown - fresh, fixed)) !=
        std::string::npos);
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(sarif.c_str()).HasParseError());
  CHECK(d["runs"][0]["results"].Size() == 2600);
  CHECK(sarif.find("3 related locations of a PA201 result were not written") != std::string::npos);
  REQUIRE_FALSE(d.Parse(json.c_str()).HasParseError());
  CHECK(d["findings"].Size() == 2600);
  for (const uint32_t jobs : {2U, 3U, 8U}) {
    INFO("jobs " << jobs);
    r.jobs = jobs;
    CHECK(render_text(r, plain) == text);
    CHECK(render_text(r, coloured) == text_coloured);
    CHECK(render_text(r, quiet) == text_quiet);
    CHECK(render_sarif(r) == sarif);
    CHECK(render_json(r) == json);
  }
}
