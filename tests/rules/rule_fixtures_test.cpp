// Every fixture under fixtures/rules/<ID>/ is run with only rule <ID>
// enabled; its inline expectations must match the findings exactly.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "expectations.hpp"
#include "fixture_runner.hpp"
#include "pkgaudit/auditor.hpp"

namespace fs = std::filesystem;
using namespace pkgaudit::testing;

namespace {

fs::path fixtures_root() { return fs::path(PKGAUDIT_SOURCE_DIR) / "fixtures" / "rules"; }

std::vector<fs::path> fixture_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every rule fixture matches its inline expectations") {
  size_t checked = 0;
  for (const pkgaudit::RuleInfo& rule : pkgaudit::rule_catalogue()) {
    const fs::path dir = fixtures_root() / std::string(rule.id);
    if (!fs::is_directory(dir)) continue;  // the registry test reports missing fixtures
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(dir)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const fs::path& entry : entries) {
      if (entry.filename() == "FIXTURES.md") continue;  // points at a scripted suite (registry test checks it)
      INFO("fixture: ", entry.string());
      std::vector<std::string> problems;
      if (fs::is_directory(entry)) {
        // A package of several files, zipped as one.
        std::vector<FixtureFile> files;
        for (const fs::path& file : fixture_files(entry)) {
          files.push_back({fs::relative(file, entry).generic_string(), read_file(file.string())});
        }
        problems = run_package_fixture(std::string(rule.id), files, entry.filename().string().starts_with("ok_"));
      } else if (entry.extension() == ".zipspec") {
        problems = run_zipspec_fixture(std::string(rule.id), read_file(entry.string()));
      } else {
        problems = run_fixture(std::string(rule.id), entry.filename().string(), read_file(entry.string()));
      }
      for (const std::string& p : problems) FAIL_CHECK(p);
      ++checked;
    }
  }
  CHECK(checked >= 20);
}

TEST_CASE("the fixture runner fails on an unannotated finding") {
  const auto problems = run_fixture("PA201", "x.sh", "#!/bin/sh\nsudo ls\n");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("unexpected PA201 at 2:1") == 0);
}

TEST_CASE("the fixture runner fails on a missing expected finding") {
  const auto problems = run_fixture("PA201", "x.sh", "#!/bin/sh\nls  # expect: PA201:1\n");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "missing PA201 at 2:1");
}

TEST_CASE("the fixture runner fails on a wrong column") {
  const auto problems = run_fixture("PA201", "x.sh", "#!/bin/sh\nsudo ls  # expect: PA201:2\n");
  CHECK(problems.size() == 2);
}

TEST_CASE("the fixture runner passes an exact match, with offsets") {
  CHECK(run_fixture("PA201", "x.sh", "#!/bin/sh\n# expect@+1: PA201:1\nsudo ls\nsudo id  # expect: PA201:1\n").empty());
}

TEST_CASE("ok_ fixtures may not carry expectations") {
  const auto problems = run_fixture("PA201", "ok_x.sh", "sudo ls  # expect: PA201:1\n");
  REQUIRE_FALSE(problems.empty());
  CHECK(problems[0] == "an ok_ fixture must not expect findings");
}

TEST_CASE("expectation markers parse, and malformed ones are errors") {
  std::vector<std::string> errors;
  auto e = parse_expectations("a  # expect: PA201:3 PA103\n-- expect@-1: PA401\nb # expect@+2: PA201\n", errors);
  CHECK(errors.empty());
  REQUIRE(e.size() == 4);
  CHECK((e[0].line == 1 && e[0].column == 3 && e[0].rule == "PA201"));
  CHECK((e[1].line == 1 && e[1].column == 0 && e[1].rule == "PA103"));
  CHECK((e[2].line == 1 && e[2].rule == "PA401"));
  CHECK(e[3].line == 5);
  parse_expectations("x # expect: pa201\n", errors);
  CHECK(errors.size() == 1);
  errors.clear();
  parse_expectations("x # expect:\n", errors);
  CHECK(errors.size() == 1);
  errors.clear();
  parse_expectations("we expect: nothing here, not a comment\n", errors);
  CHECK(errors.empty());
}
