// Custom rules ([[custom-rules]]): every case under fixtures/custom-rules/
// is a pkgaudit.toml beside a package/ tree whose files carry inline
// expectations. Optional: messages.txt (every custom finding as
// `path:line: level[ID] message`, suppressed ones prefixed `(suppressed) `)
// and error.txt (the configuration must be rejected with exactly that).
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "expectations.hpp"
#include "fixture_runner.hpp"
#include "pkgaudit/auditor.hpp"
#include "pkgaudit/config.hpp"
#include "zip_writer.hpp"

namespace fs = std::filesystem;
using namespace pkgaudit;
using namespace pkgaudit::testing;

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<std::string> run_case(const fs::path& dir) {
  std::vector<std::string> problems;
  auto options = load_config_text(read_file((dir / "pkgaudit.toml").string()), "pkgaudit.toml", dir.string());
  if (fs::exists(dir / "error.txt")) {
    const std::string wanted = trimmed(read_file((dir / "error.txt").string()));
    if (options) problems.push_back("the configuration was accepted; expected: " + wanted);
    else if (options.error().message != wanted) problems.push_back(fmt::format("error\n  got:    {}\n  wanted: {}", options.error().message, wanted));
    return problems;
  }
  if (!options) return {"configuration rejected: " + options.error().message};
  if (options.value().custom_rules.empty()) return {"the case defines no custom rule"};
  if (options.value().select.empty()) options.value().select = {"X"};
  std::vector<ZipEntrySpec> entries;
  std::map<std::string, std::vector<Expected>> expected;
  for (const auto& e : fs::recursive_directory_iterator(dir / "package")) {
    if (!e.is_regular_file()) continue;
    ZipEntrySpec entry;
    entry.name = fs::relative(e.path(), dir / "package").generic_string();
    entry.data = read_file(e.path().string());
    std::vector<std::string> errors;
    expected[entry.name] = parse_expectations(entry.data, errors);
    for (const std::string& error : errors) problems.push_back(entry.name + ": " + error);
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  const std::string zip = (fs::temp_directory_path() / fmt::format("pkgaudit-custom-{}-{}.zip", getpid(), dir.filename().string())).string();
  if (const std::string error = write_zip(zip, entries); !error.empty()) return {"cannot write the zip: " + error};
  auto report = audit_path(zip, options.value());
  fs::remove(zip);
  if (!report) return {"audit failed: " + report.error().message};
  std::map<std::string, std::vector<Finding>> actual;
  std::string messages;
  for (const Finding& f : report.value().findings) {
    if (!f.rule_id.starts_with("X")) continue;
    messages += fmt::format("{}{}:{}: {}[{}] {}\n", f.suppressed ? "(suppressed) " : "", f.location.path, f.location.line,
                            level_name(f.level), f.rule_id, f.message);
    if (!f.suppressed) actual[f.location.path].push_back(f);
  }
  for (const auto& [path, wanted] : expected) {
    for (std::string& p : compare_findings(wanted, actual[path])) problems.push_back(path + ": " + p);
  }
  if (fs::exists(dir / "messages.txt")) {
    const std::string wanted = read_file((dir / "messages.txt").string());
    if (trimmed(messages) != trimmed(wanted)) problems.push_back(fmt::format("messages\n  got:\n{}\n  wanted:\n{}", messages, wanted));
  }
  return problems;
}

}  // namespace

TEST_CASE("every custom-rule fixture matches its expectations") {
  const fs::path root = fs::path(PKGAUDIT_SOURCE_DIR) / "fixtures" / "custom-rules";
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_directory()) cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  std::map<CustomRule::Kind, int> kinds;
  for (const fs::path& dir : cases) {
    INFO("case: ", dir.filename().string());
    for (const std::string& p : run_case(dir)) FAIL_CHECK(p);
    if (auto options = load_config_file((dir / "pkgaudit.toml").string())) {
      for (const CustomRule& r : options.value().custom_rules) ++kinds[r.kind];
    }
  }
  CHECK(cases.size() >= 12);
  CHECK(kinds.size() == 4);  // every kind of custom rule has a case
}

TEST_CASE("set_config_value takes the file's keys as text") {
  Options o;
  CHECK_FALSE(set_config_value(o, "hosts.retired", "a.example.com, *.old.example.com"));
  CHECK(o.retired_hosts == std::vector<std::string>{"a.example.com", "*.old.example.com"});
  CHECK_FALSE(set_config_value(o, "limits.entries", "12"));
  CHECK(o.limits.entries == 12);
  CHECK_FALSE(set_config_value(o, "signing.require", "true"));
  CHECK(o.require_signature);
  CHECK_FALSE(set_config_value(o, "rules.level", "PA201=error,PA202=none"));
  CHECK(o.levels.at("PA202") == Level::none);
  const auto bad_key = set_config_value(o, "hosts.retierd", "x");
  REQUIRE(bad_key);
  CHECK(bad_key->code == ErrorCode::usage);
  CHECK(bad_key->message.starts_with("unknown option 'hosts.retierd'; options are scan.exclude"));
  const auto bad_value = set_config_value(o, "limits.entries", "-3");
  REQUIRE(bad_value);
  CHECK(bad_value->message == "limits.entries: expected a non-negative integer, not '-3'");
  const auto bad_rule = set_config_value(o, "rules.select", "PA999");
  REQUIRE(bad_rule);
  CHECK(bad_rule->message == "option rules.select: unknown rule 'PA999' in [rules] select; `pkgaudit rules` lists them");
}
