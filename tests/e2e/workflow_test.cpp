// The CI gate and reviewer workflow: configuration, inline suppressions,
// fingerprints, baselines, GitHub's limits and line hashes.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <rapidjson/document.h>

#include "pkgaudit/auditor.hpp"
#include "pkgaudit/config.hpp"
#include "report/line_hash.hpp"
#include "run_command.hpp"
#include "scratch_dir.hpp"
#include "text/utf8.hpp"
#include "zip_writer.hpp"

namespace fs = std::filesystem;
using namespace pkgaudit;
using namespace pkgaudit::testing;

namespace {

fs::path temp(const std::string& name) {
  static const ScratchDir dir("pkgaudit-workflow-");
  return dir.path() / name;
}

Report audit_files(const std::vector<ZipEntrySpec>& files, Options options = {}) {
  const fs::path zip = temp("pkg.zip");
  REQUIRE(write_zip(zip.string(), files).empty());
  auto r = audit_path(zip.string(), options);
  REQUIRE(r);
  return std::move(r).value();
}

std::vector<Finding> of_rule(const Report& r, std::string_view id) {
  std::vector<Finding> out;
  for (const Finding& f : r.findings) {
    if (f.rule_id == id) out.push_back(f);
  }
  return out;
}

std::string config_error(std::string_view toml) {
  auto r = load_config_text(toml, "pkgaudit.toml", "/etc/pkgaudit");
  return r ? std::string{} : r.error().message;
}

}  // namespace

TEST_CASE("config: every key, relative paths, families, levels") {
  auto r = load_config_text(R"(
[scan]
exclude = ["docs/**"]
inline-ignore = false
[rules]
select = ["PA2", "PA301"]
disable = ["PA202"]
[rules.level]
PA201 = "error"
PA304 = "none"
[target]
units = ["postgresql.service"]
units-file = "inventory/units.txt"
[hosts]
retired = ["sftp-old.example.com"]
allowed = ["sftp.example.com"]
resolve = true
[database]
dialect = "mysql"
assume-locked = ["migrations/**"]
[side-effects]
ignore-hosts = ["staging.example.com"]
[signing]
require = true
trust-store = "certs/"
extra-chain = ["vendor-chain.pem"]
[limits]
entries = 50
entry-bytes = 1000
total-bytes = 2000
archive-bytes = 3000
parse-bytes = 4000
parse-milliseconds = 500
)",
                            "pkgaudit.toml", "/etc/pkgaudit");
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  const Options& o = r.value();
  CHECK(o.exclude == std::vector<std::string>{"docs/**"});
  CHECK_FALSE(o.inline_ignore);
  CHECK(o.select == std::vector<std::string>{"PA2", "PA301"});
  CHECK(o.disable == std::vector<std::string>{"PA202"});
  CHECK(o.levels.at("PA201") == Level::error);
  CHECK(o.levels.at("PA304") == Level::none);
  CHECK(o.known_units == std::vector<std::string>{"postgresql.service"});
  CHECK(o.units_files == std::vector<std::string>{"/etc/pkgaudit/inventory/units.txt"});
  CHECK(o.retired_hosts.size() == 1);
  CHECK(o.allowed_hosts.size() == 1);
  CHECK(o.resolve_hosts);
  CHECK(o.sql_dialect == "mysql");
  CHECK(o.assume_locked.size() == 1);
  CHECK(o.side_effect_ignore_hosts.size() == 1);
  CHECK(o.require_signature);
  CHECK(o.trust_store == "/etc/pkgaudit/certs/");
  CHECK(o.extra_chain == std::vector<std::string>{"/etc/pkgaudit/vendor-chain.pem"});
  CHECK(o.limits.entries == 50);
  CHECK(o.limits.entry_bytes == 1000);
  CHECK(o.limits.total_bytes == 2000);
  CHECK(o.limits.archive_bytes == 3000);
  CHECK(o.limits.parse_bytes == 4000);
  CHECK(o.limits.parse_milliseconds == 500);
  CHECK(rule_selected(o, "PA201"));
  CHECK(rule_selected(o, "PA301"));
  CHECK_FALSE(rule_selected(o, "PA202"));
  CHECK_FALSE(rule_selected(o, "PA401"));
  // The rendering reads back to the same configuration.
  auto again = load_config_text(render_config(o), "shown.toml", "");
  REQUIRE_MESSAGE(again, (again ? "" : again.error().message));
  CHECK(again.value().levels.at("PA201") == Level::error);
  CHECK(again.value().levels.at("PA304") == Level::none);
  CHECK(again.value().levels.at("PA401") == Level::error);  // shown with its default
  CHECK(again.value().limits.entries == 50);
}

TEST_CASE("config --show reads back: defaults, and custom rules of every kind") {
  auto defaults = load_config_text(render_config({}), "defaults.toml", "");
  REQUIRE_MESSAGE(defaults, (defaults ? "" : defaults.error().message));
  CHECK(defaults.value().sql_dialect.empty());
  const char* custom = R"toml(
[[custom-rules]]
id = "X001"
name = "q"
level = "note"
message = "{n} \"quoted\""
help = "two\nlines\r\u0001"
shell-query = """
(command name: (command_name) @n (#match? @n "^(rm|rmdir)$"))
"""
[[custom-rules]]
id = "X002"
name = "c"
message = "{arg}"
command = "curl"
args = ["*old*", "-k"]
[[custom-rules]]
id = "X003"
name = "u"
message = "{value}"
unit-key = { section = "Service", key = "User" }
[[custom-rules]]
id = "X004"
name = "h"
level = "error"
message = "{host}"
host = "10.0.0.0/8"
)toml";
  auto loaded = load_config_text(custom, "custom.toml", "");
  REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.error().message));
  auto again = load_config_text(render_config(loaded.value()), "shown.toml", "");
  REQUIRE_MESSAGE(again, (again ? "" : again.error().message));
  const auto& a = loaded.value().custom_rules;
  const auto& b = again.value().custom_rules;
  REQUIRE(a.size() == 4);
  REQUIRE(b.size() == 4);
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].id == b[i].id);
    CHECK(a[i].level == b[i].level);
    CHECK(a[i].message == b[i].message);
    CHECK(a[i].help == b[i].help);
    CHECK(a[i].kind == b[i].kind);
    CHECK(a[i].query == b[i].query);
    CHECK(a[i].args == b[i].args);
    CHECK(a[i].section == b[i].section);
    CHECK(a[i].key == b[i].key);
    CHECK(a[i].value == b[i].value);
    CHECK(a[i].hosts == b[i].hosts);
  }
  CHECK(b[0].help == "two\nlines\r\x01");
}

TEST_CASE("config errors name the file, line, column and what was expected") {
  CHECK(config_error("[hosts]\nretierd = [\"x\"]\n") ==
        "pkgaudit.toml:2:1: unknown key 'retierd' in [hosts]; expected one of retired, allowed, resolve");
  CHECK(config_error("[hosts]\nretired = \"x\"\n") == "pkgaudit.toml:2:11: [hosts] retired must be an array of strings");
  CHECK(config_error("[rules]\ndisable = [\"PA999\"]\n") ==
        "pkgaudit.toml:2:12: unknown rule 'PA999' in [rules] disable; `pkgaudit rules` lists them");
  CHECK(config_error("[rules.level]\nPA201 = \"loud\"\n").starts_with("pkgaudit.toml:2:9: [rules.level] PA201 must be"));
  CHECK(config_error("[bogus]\nx = 1\n").starts_with("pkgaudit.toml:1:2: unknown section [bogus]"));
  CHECK(config_error("[scan]\ninline-ignore = \"no\"\n") == "pkgaudit.toml:2:17: [scan] inline-ignore must be true or false");
  CHECK(config_error("[limits]\nentries = -1\n").starts_with("pkgaudit.toml:2:11: [limits] entries must be"));
  CHECK(config_error("[database]\ndialect = \"oracle\"\n").starts_with("pkgaudit.toml:2:11:"));
  CHECK(config_error("[scan\n").starts_with("pkgaudit.toml:1:"));
}

TEST_CASE("precedence: command line over file over defaults; config --show") {
  const fs::path dir = temp("precedence");
  fs::create_directories(dir);
  std::ofstream(dir / "pkgaudit.toml") << "[rules]\ndisable = [\"PA304\"]\n[hosts]\nretired = [\"from-file.example.com\"]\n";
  const std::string cli = shell_quote(PKGAUDIT_CLI);
  const std::string cd = "cd " + shell_quote(dir.string()) + " && ";
  const CommandResult shown = run_command(cd + cli + " config --show");
  REQUIRE(shown.exit_code == 0);
  CHECK(shown.out.find("disable = [\"PA304\"]") != std::string::npos);
  CHECK(shown.out.find("retired = [\"from-file.example.com\"]") != std::string::npos);
  CHECK(shown.out.find("entries = 10000") != std::string::npos);  // a default
  const CommandResult over = run_command(cd + cli + " config --show --retired-host cli.example.com --disable PA201");
  CHECK(over.out.find("retired = [\"cli.example.com\"]") != std::string::npos);
  CHECK(over.out.find("disable = [\"PA201\"]") != std::string::npos);
  std::ofstream(dir / "bad.toml") << "[hosts]\nretired = 3\n";
  const CommandResult bad = run_command(cd + cli + " config --show --config bad.toml 2>&1");
  CHECK(bad.exit_code == 2);
  CHECK(bad.out == "pkgaudit: bad.toml:2:11: [hosts] retired must be an array of strings\n");
}

TEST_CASE("suppressions: same line, line above, file level, several ids; SARIF keeps them") {
  const Report r = audit_files({{"a.sh",
                                 "#!/bin/sh\n"
                                 "sudo ls  # pkgaudit: ignore[PA201] reviewed\n"
                                 "# pkgaudit: ignore[PA201,PA501] both\n"
                                 "sudo id\n"
                                 "sudo whoami\n"},
                                {"b.sh", "#!/bin/sh\n# pkgaudit: ignore-file[PA201] root's cron only\nsudo ls\nsudo id\n"}});
  const auto sudo = of_rule(r, "PA201");
  REQUIRE(sudo.size() == 5);
  size_t suppressed = 0;
  for (const Finding& f : sudo) suppressed += f.suppressed;
  CHECK(suppressed == 4);
  CHECK(sudo[0].justification == "reviewed");
  CHECK_FALSE(has_findings_at_or_above(r, Level::error));
  CHECK(has_findings_at_or_above(r, Level::warning));  // sudo whoami is not suppressed
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(render_sarif(r).c_str()).HasParseError());
  size_t with_suppressions = 0;
  for (const auto& result : d["runs"][0]["results"].GetArray()) {
    if (result.HasMember("suppressions")) {
      ++with_suppressions;
      CHECK(std::string(result["suppressions"][0]["kind"].GetString()) == "inSource");
    }
  }
  CHECK(with_suppressions == 4);
  // The second id of the suppression above `sudo id` matched nothing.
  const auto unused = of_rule(r, "PA001");
  REQUIRE(unused.size() == 1);
  CHECK(unused[0].message.find("PA501") != std::string::npos);
}

TEST_CASE("suppressions: a file-level and a line's both cover a finding: the later one's reason is kept") {
  const Report r = audit_files({{"a.sh",
                                 "#!/bin/sh\n"
                                 "# pkgaudit: ignore-file[PA201] file reason\n"
                                 "sudo ls\n"
                                 "sudo id  # pkgaudit: ignore[PA201] line reason\n"
                                 "# pkgaudit: ignore[PA201] above\n"
                                 "sudo whoami\n"},
                                {"b.sh", "#!/bin/sh\nsudo ls\n"}});
  const auto sudo = of_rule(r, "PA201");
  REQUIRE(sudo.size() == 4);
  CHECK(sudo[0].justification == "file reason");
  CHECK(sudo[1].justification == "line reason");
  CHECK(sudo[2].justification == "above");
  CHECK_FALSE(sudo[3].suppressed);  // b.sh: another file's suppressions do not reach it
  CHECK(of_rule(r, "PA001").empty());
}

TEST_CASE("suppressions: --no-inline-ignore turns them off; PA1xx cannot be suppressed") {
  Options reviewer;
  reviewer.inline_ignore = false;
  const Report r = audit_files({{"a.sh", "sudo ls  # pkgaudit: ignore[PA201] trust me\n"},
                                {"../evil.sh", "# pkgaudit: ignore-file[PA101] trust me\n"}},
                               reviewer);
  CHECK(of_rule(r, "PA201").size() == 1);
  CHECK_FALSE(of_rule(r, "PA201")[0].suppressed);
  CHECK(of_rule(r, "PA001").empty());
  const Report normal = audit_files({{"../evil.sh", "# pkgaudit: ignore-file[PA101] trust me\n"}});
  REQUIRE(of_rule(normal, "PA101").size() == 1);
  CHECK_FALSE(of_rule(normal, "PA101")[0].suppressed);
  CHECK(of_rule(normal, "PA001").size() == 1);
}

TEST_CASE("fingerprints survive lines added above and re-zipping, and agree between zip and directory") {
  const std::string script = "#!/bin/sh\nsudo systemctl restart a.service\nsudo id\n";
  Options only_sudo;
  only_sudo.select = {"PA201"};
  const Report before = audit_files({{"x.sh", script}}, only_sudo);
  std::string shifted = "#!/bin/sh\n";
  for (int i = 0; i < 10; ++i) shifted += "echo line " + std::to_string(i) + "\n";
  shifted += script.substr(10);
  const Report after = audit_files({{"x.sh", shifted}}, only_sudo);
  REQUIRE(before.findings.size() == 2);
  REQUIRE(after.findings.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(before.findings[i].fingerprint == after.findings[i].fingerprint);
    CHECK(before.findings[i].location.line + 10 == after.findings[i].location.line);
  }
  const fs::path dir = temp("tree");
  fs::create_directories(dir);
  std::ofstream(dir / "x.sh") << script;
  auto tree = audit_path(dir.string(), only_sudo);
  REQUIRE(tree);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(tree.value().findings[i].fingerprint == before.findings[i].fingerprint);
    CHECK(tree.value().findings[i].line_hash == before.findings[i].line_hash);
  }
}

TEST_CASE("equal lines are told apart by occurrence, however many findings a file has") {
  // Fingerprints are counted in chunks of findings on the pool: a chunk
  // that cut a file in two would count its second half from 1 again.
  std::string script = "#!/bin/sh\n";
  for (int i = 0; i < 1500; ++i) script += "sudo id\n";
  Options only_sudo;
  only_sudo.select = {"PA201"};
  only_sudo.jobs = 2;
  const Report r = audit_files({{"a.sh", script}, {"b.sh", script}}, only_sudo);
  REQUIRE(r.findings.size() == 3000);
  for (const std::string path : {"a.sh", "b.sh"}) {
    std::set<std::string> fingerprints;
    uint32_t occurrence = 0;
    for (const Finding& f : r.findings) {
      if (f.location.path != path) continue;
      fingerprints.insert(f.fingerprint);
      ++occurrence;
      if (occurrence == 1 || occurrence == 1025 || occurrence == 1500) {
        INFO(path << " occurrence " << occurrence);
        const std::string key = "PA201" + std::string(1, '\0') + path + '\0' + "sudo id" + '\0' + std::to_string(occurrence);
        CHECK(f.fingerprint == text::sha256_hex(key).substr(0, 32));
      }
    }
    CHECK(occurrence == 1500);
    CHECK(fingerprints.size() == 1500);
  }
}

TEST_CASE("primaryLocationLineHash is GitHub's: codeql-action's published test vectors") {
  using report::github_line_hashes;
  CHECK(github_line_hashes("") == std::vector<std::string>{"c129715d7a2bc9a3:1"});
  CHECK(github_line_hashes(" a\nb\n  \t\tc\n d") ==
        std::vector<std::string>{"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"});
  const std::vector<std::string> greetings{"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1",
                                           "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1",
                                           "c129715d7a2bc9a3:1"};
  CHECK(github_line_hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n") == greetings);
  CHECK(github_line_hashes(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n") == greetings);
  CHECK(github_line_hashes(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r") == greetings);
  std::string lorem;
  for (int i = 0; i < 10; ++i) lorem += "Lorem ipsum dolor sit amet.\n";
  const auto h = github_line_hashes(lorem);
  REQUIRE(h.size() == 11);
  CHECK(h[0] == "a7f2ff13bc495cf2:1");
  CHECK(h[5] == "a7f2ff13bc495cf2:6");
  CHECK(h[6] == "a7f2ff1481e87703:1");
  CHECK(h[9] == "cc97dc7b1d7d8f7b:1");
  // Hundreds of distinct lines, then all of them again: each line of the
  // second copy is its twin's hash, seen for the second time.
  std::string twice;
  for (int i = 0; i < 200; ++i) twice += "line " + std::to_string(i) + " of many\n";
  twice += twice;
  const auto t = github_line_hashes(twice);
  REQUIRE(t.size() == 401);
  for (size_t i = 0; i < 190; ++i) {
    INFO(i);
    const std::string first = t[i], second = t[200 + i];
    REQUIRE(first.ends_with(":1"));
    CHECK(second == first.substr(0, first.size() - 1) + "2");
  }
}

TEST_CASE("the first lines' hashes alone are those of the whole text (kept for files whose text is released)") {
  std::string lorem;
  for (int i = 0; i < 10; ++i) lorem += "Lorem ipsum dolor sit amet.\n";
  std::string wide(300, ' ');
  wide += "x\n\u00e9\xff\r\n  y";
  for (const std::string& text : {std::string(), std::string("a"), std::string(" hello; \t\r\nworld!!!\r\n"), lorem,
                                  wide, std::string(500, '\n')}) {
    const report::LineHashes all(text);
    for (size_t n = 1; n <= std::min<size_t>(all.size(), 3); ++n) {
      const report::LineHashes first(text, n);
      REQUIRE(first.size() == n);
      for (size_t i = 0; i < n; ++i) CHECK(first.at(i) == all.at(i));
    }
    // What a released file keeps: line 1's hash as a number, its occurrence 1.
    if (all.size() > 0) CHECK(report::LineHashes::format(report::LineHashes(text, 1).hash_at(0), 1) == all.at(0));
  }
}

TEST_CASE("baseline: one fixed, one added: exactly one new, one absent, the rest unchanged") {
  const std::string cli = shell_quote(PKGAUDIT_CLI);
  const fs::path dir = temp("baseline");
  fs::remove_all(dir);
  fs::create_directories(dir / "pkg");
  std::ofstream(dir / "pkg" / "up.sh") << "#!/bin/sh\nsudo a\nsudo b\nsudo c\n";
  const std::string base = (dir / "base.sarif").string();
  const CommandResult first = run_command(cli + " scan " + shell_quote((dir / "pkg").string()) + " --select PA201" +
                                          " --write-baseline " + shell_quote(base) + " --fail-on never");
  REQUIRE(first.exit_code == 0);
  std::ofstream(dir / "pkg" / "up.sh") << "#!/bin/sh\necho fixed\nsudo b\nsudo c\nsudo d\n";
  const std::string scan =
      cli + " scan " + shell_quote((dir / "pkg").string()) + " --select PA201 --baseline " + shell_quote(base);
  const CommandResult sarif = run_command(scan + " --format sarif --fail-on never");
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(sarif.out.c_str()).HasParseError());
  std::map<std::string, int> states;
  for (const auto& result : d["runs"][0]["results"].GetArray()) ++states[result["baselineState"].GetString()];
  CHECK(states["new"] == 1);
  CHECK(states["absent"] == 1);
  CHECK(states["unchanged"] == 2);
  const CommandResult text = run_command(scan + " --fail-on never");
  CHECK(text.out.find("1 new, 2 unchanged, 0 updated, 1 fixed (baseline)") != std::string::npos);
  CHECK(run_command(scan + " --fail-on warning > /dev/null").exit_code == 1);  // the new one
  std::ofstream(dir / "pkg" / "up.sh") << "#!/bin/sh\nsudo b\nsudo c\n";
  CHECK(run_command(scan + " --fail-on warning > /dev/null").exit_code == 0);  // nothing new
  CHECK(run_command(cli + " scan " + shell_quote((dir / "pkg").string()) + " --baseline /nonexistent.sarif 2>&1").exit_code == 2);
}

TEST_CASE("SARIF: category, source root, quiet and statistics") {
  const fs::path dir = temp("sarif-opts");
  fs::create_directories(dir / "pkg");
  std::ofstream(dir / "pkg" / "up.sh") << "#!/bin/sh\nsudo a\n";
  const std::string cli = shell_quote(PKGAUDIT_CLI);
  const std::string pkg = shell_quote((dir / "pkg").string()) + " --select PA201";
  const CommandResult sarif = run_command(cli + " scan " + pkg + " --format sarif --fail-on never --category vendor/dten" +
                                          " --source-root /srv/checkout/dten");
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(sarif.out.c_str()).HasParseError());
  CHECK(std::string(d["runs"][0]["automationDetails"]["id"].GetString()) == "vendor/dten");
  CHECK(std::string(d["runs"][0]["originalUriBaseIds"]["PKGROOT"]["uri"].GetString()) == "file:///srv/checkout/dten/");
  const CommandResult quiet = run_command(cli + " scan " + pkg + " --quiet --fail-on never");
  CHECK(quiet.out.find("up.sh:2:1: warning[PA201]") == 0);
  CHECK(quiet.out.find("Audited") == std::string::npos);
  const CommandResult stats = run_command(cli + " scan " + pkg + " --statistics --fail-on never");
  CHECK(stats.out.find("PA201  assumed-sudo") != std::string::npos);
}

TEST_CASE("GitHub's limit of 25,000 results is recorded, never silent") {
  std::string script = "#!/bin/sh\n";
  for (int i = 0; i < 25'010; ++i) script += "sudo a" + std::to_string(i) + "\n";
  Options options;
  options.select = {"PA201"};
  options.limits.parse_milliseconds = 120'000;  // a sanitizer build parses this slowly
  const Report r = audit_files({{"many.sh", script}}, options);
  REQUIRE(r.findings.size() == 25'010);
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(render_sarif(r).c_str()).HasParseError());
  CHECK(d["runs"][0]["results"].Size() == 25'000);
  bool noted = false;
  for (const auto& n : d["runs"][0]["invocations"][0]["toolExecutionNotifications"].GetArray()) {
    noted = noted || std::string(n["descriptor"]["id"].GetString()) == "results-capped";
  }
  CHECK(noted);
}

TEST_CASE("exclude globs skip files and say so") {
  Options options;
  options.exclude = {"docs/**"};
  const Report r = audit_files({{"docs/howto.sh", "sudo ls\n"}, {"up.sh", "sudo id\n"}}, options);
  CHECK(of_rule(r, "PA201").size() == 1);
  bool excluded = false;
  for (const Artifact& a : r.artifacts) {
    if (a.path == "docs/howto.sh") excluded = !a.audited && a.not_audited_reason.find("excluded") != std::string::npos;
  }
  CHECK(excluded);
}
