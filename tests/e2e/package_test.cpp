// Whole packages: the bundled dten fixture (zip and unpacked tree), its
// expectation file, the report snapshots, and this machine's real Debian
// maintainer scripts.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <rapidjson/document.h>

#include "classify/classify.hpp"
#include "pkgaudit/auditor.hpp"
#include "run_command.hpp"
#include "zip_writer.hpp"

namespace fs = std::filesystem;
using namespace pkgaudit;
using namespace pkgaudit::testing;

namespace {

const std::string kZip = PKGAUDIT_DTEN_ZIP;
const std::string kTree = PKGAUDIT_DTEN_TREE;
// What the operator knows about the target host, as `make demo` passes it:
// its units (`systemctl list-unit-files`) and the SFTP server it retired.
const std::string kHostUnits = std::string(PKGAUDIT_SOURCE_DIR) + "/fixtures/Full-upgrade-package-dten.host-units.txt";
const std::string kRetiredHost = "sftp-old.partner.example.com";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Report audit_or_fail(const std::string& path) {
  Options options;
  options.units_files = {kHostUnits};
  options.retired_hosts = {kRetiredHost};
  auto r = audit_path(path, options);
  if (!r) FAIL(r.error().message);
  return std::move(r).value();
}

using Key = std::tuple<std::string, uint32_t, uint32_t, std::string>;

std::set<Key> keys(const Report& r) {
  std::set<Key> out;
  for (const Finding& f : r.findings) out.emplace(f.location.path, f.location.line, f.location.column, f.rule_id);
  return out;
}

// Snapshots are regenerated on purpose (PKGAUDIT_UPDATE_SNAPSHOTS=1) and
// reviewed in the diff.
void check_snapshot(const fs::path& file, const std::string& actual) {
  const char* update = std::getenv("PKGAUDIT_UPDATE_SNAPSHOTS");
  if (update && std::string_view(update) == "1") {
    std::ofstream(file, std::ios::binary) << actual;
    MESSAGE("snapshot updated: " << file.string());
    return;
  }
  REQUIRE_MESSAGE(fs::exists(file), "missing snapshot " << file.string() << "; run with PKGAUDIT_UPDATE_SNAPSHOTS=1");
  const std::string expected = slurp(file);
  if (expected != actual) {
    const fs::path got = fs::temp_directory_path() / file.filename();
    std::ofstream(got, std::ios::binary) << actual;
    FAIL_CHECK("snapshot differs: diff -u " << file.string() << " " << got.string());
  }
}

// Generated files (certificates, signatures, keys) change length from one
// build to the next; their lengths are not part of the snapshot.
std::string without_lengths(std::string sarif) {
  const std::string marker = "\"length\":";
  for (size_t pos = sarif.find(marker); pos != std::string::npos; pos = sarif.find(marker, pos + 1)) {
    size_t end = pos + marker.size();
    while (end < sarif.size() && sarif[end] >= '0' && sarif[end] <= '9') ++end;
    sarif.replace(pos + marker.size(), end - pos - marker.size(), "0");
  }
  return sarif;
}

// The bundled package's PKI is generated at build time, so certificate
// fingerprints change from build to build: not part of the snapshot.
std::string without_fingerprints(std::string text) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
  const size_t kLength = 32 * 3 - 1;  // "AB:CD:..." for SHA-256
  for (size_t i = 0; i + kLength <= text.size(); ++i) {
    bool match = true;
    for (size_t k = 0; k < kLength && match; ++k) match = k % 3 == 2 ? text[i + k] == ':' : hex(text[i + k]);
    if (match) text.replace(i, kLength, "<sha256-fingerprint>");
  }
  // The deploy key's first line shows as a snippet: keep PEM armour out of
  // committed files, so no scanner mistakes the snapshot for a key.
  for (size_t pos = text.find("-----BEGIN "); pos != std::string::npos; pos = text.find("-----BEGIN ", pos + 1)) {
    text.replace(pos, 11, "<pem-begin> ");
  }
  // GitHub's line hash reads the next 100 characters, which in SHA256SUMS
  // include digests of the generated keys and certificates.
  const std::string marker = "\"primaryLocationLineHash\":\"";
  for (size_t pos = text.find(marker); pos != std::string::npos; pos = text.find(marker, pos + 1)) {
    const size_t begin = pos + marker.size();
    const size_t end = text.find('"', begin);
    if (end != std::string::npos) text.replace(begin, end - begin, "<line-hash>");
  }
  return text;
}

}  // namespace

TEST_CASE("the dten package: the binary on the zip and on the unpacked tree gives the same findings") {
  auto findings_of = [](const std::string& package) {
    const CommandResult r = run_command(shell_quote(PKGAUDIT_CLI) + " scan " + shell_quote(package) +
                                        " --format json --fail-on never --units-file " + shell_quote(kHostUnits) +
                                        " --retired-host " + kRetiredHost);
    REQUIRE(r.exit_code == 0);
    rapidjson::Document d;
    REQUIRE_FALSE(d.Parse(r.out.c_str()).HasParseError());
    std::vector<std::string> out;
    for (const auto& f : d["findings"].GetArray()) {
      out.push_back(std::string(f["path"].GetString()) + ":" + std::to_string(f["line"].GetUint()) + ":" +
                    std::to_string(f["column"].GetUint()) + ": " + f["rule"].GetString() + " " +
                    f["message"].GetString() + " " + f["fingerprint"].GetString());
    }
    return out;
  };
  const auto zip = findings_of(kZip);
  const auto tree = findings_of(kTree);
  CHECK(zip.size() >= 10);
  CHECK(zip == tree);
}

TEST_CASE("the dten package: the library agrees, zip and tree") {
  const Report zip = audit_or_fail(kZip);
  const Report tree = audit_or_fail(kTree);
  CHECK(zip.package_is_archive);
  CHECK_FALSE(tree.package_is_archive);
  CHECK(keys(zip) == keys(tree));
}

TEST_CASE("the dten package matches its expectation file exactly") {
  // fixtures/Full-upgrade-package-dten.expect: `path:line:col: RULE` per line.
  std::set<Key> expected;
  std::istringstream lines(slurp(fs::path(PKGAUDIT_SOURCE_DIR) / "fixtures" / "Full-upgrade-package-dten.expect"));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.starts_with('#')) continue;
    const size_t c1 = line.find(':'), c2 = line.find(':', c1 + 1), c3 = line.find(':', c2 + 1);
    REQUIRE_MESSAGE(c3 != std::string::npos, "malformed expectation: " << line);
    std::string rule = line.substr(c3 + 1);
    rule.erase(0, rule.find_first_not_of(' '));
    expected.emplace(line.substr(0, c1), std::stoul(line.substr(c1 + 1, c2 - c1 - 1)),
                     std::stoul(line.substr(c2 + 1, c3 - c2 - 1)), rule);
  }
  const std::set<Key> actual = keys(audit_or_fail(kZip));
  for (const Key& k : expected) {
    if (!actual.count(k)) FAIL_CHECK("missing " << std::get<3>(k) << " at " << std::get<0>(k) << ":" << std::get<1>(k) << ":" << std::get<2>(k));
  }
  for (const Key& k : actual) {
    if (!expected.count(k)) FAIL_CHECK("unexpected " << std::get<3>(k) << " at " << std::get<0>(k) << ":" << std::get<1>(k) << ":" << std::get<2>(k));
  }
  CHECK(expected.size() >= 10);
}

TEST_CASE("snapshots of what users read: text report and SARIF of the dten zip") {
  const fs::path dir = fs::path(PKGAUDIT_SOURCE_DIR) / "tests" / "e2e" / "snapshots";
  // Run from the build tree with a relative path, as `make demo` shows it.
  const Report report = audit_or_fail(kZip);
  Report shown = report;
  shown.package = "Full-upgrade-package-dten.zip";
  check_snapshot(dir / "dten.txt", without_fingerprints(render_text(shown, {.color = false})));
  check_snapshot(dir / "dten.sarif", without_fingerprints(without_lengths(render_sarif(shown))) + "\n");
}

TEST_CASE("output is deterministic") {
  CHECK(render_sarif(audit_or_fail(kZip)) == render_sarif(audit_or_fail(kZip)));
}

TEST_CASE("an entry the signature does not cover, named in invalid UTF-8, is listed in valid UTF-8") {
  // Found by fuzz_pipeline: the signing summary passed the raw name to the
  // report writers, which refuse invalid UTF-8 (the audit failed). A
  // directory keeps the name's bytes as they are.
  const fs::path dir = fs::temp_directory_path() / ("pkgaudit-utf8-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(kTree, dir, fs::copy_options::recursive);
  std::ofstream(dir / "scripts" / "extra-\x8c.sh") << "#!/bin/sh\necho extra\n";
  const Report report = audit_or_fail(dir.string());
  fs::remove_all(dir);
  REQUIRE(report.signing.size() == 1);
  const auto& listed = report.signing[0].not_covered;
  INFO(fmt::format("{}", fmt::join(listed, " | ")));
  CHECK(std::find(listed.begin(), listed.end(), "scripts/extra-\xef\xbf\xbd.sh") != listed.end());
  CHECK_NOTHROW(render_sarif(report));
  CHECK_NOTHROW(render_json(report));
  CHECK_NOTHROW(render_text(report, {.color = false}));
}

TEST_CASE("this machine's Debian maintainer scripts: no crash, all shell") {
  const fs::path info = "/var/lib/dpkg/info";
  if (!fs::is_directory(info)) {
    MESSAGE("no /var/lib/dpkg/info on this machine");
    return;
  }
  std::vector<ZipEntrySpec> entries;
  std::set<std::string> shell_expected;
  for (const auto& e : fs::directory_iterator(info)) {
    const std::string ext = e.path().extension().string();
    if (ext != ".preinst" && ext != ".postinst" && ext != ".prerm" && ext != ".postrm" && ext != ".config") continue;
    ZipEntrySpec spec;
    spec.name = "info/" + e.path().filename().string();
    spec.data = slurp(e.path());
    const std::string_view interp = classify::shebang_interpreter(spec.data);
    // `.config` is debconf's, and any of them may be Perl: those are not shell.
    if (interp.empty() ? ext != ".config" : (interp == "sh" || interp == "bash" || interp == "dash")) {
      shell_expected.insert(spec.name);
    }
    entries.push_back(std::move(spec));
  }
  std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.name < b.name; });
  REQUIRE_FALSE(entries.empty());
  const fs::path zip = fs::temp_directory_path() / ("pkgaudit-maint-" + std::to_string(::getpid()) + ".zip");
  REQUIRE(write_zip(zip.string(), entries).empty());

  const CommandResult r = run_command(shell_quote(PKGAUDIT_CLI) + " scan " + shell_quote(zip.string()) +
                                      " --format json --output /dev/null 2>&1");
  CHECK((r.exit_code == 0 || r.exit_code == 1));
  CHECK(r.out.empty());

  const Report report = audit_or_fail(zip.string());
  size_t shell = 0;
  for (const Artifact& a : report.artifacts) {
    if (!shell_expected.count(a.path)) continue;
    INFO(a.path);
    CHECK(a.kind == FileKind::shell);
    CHECK(a.audited);
    ++shell;
  }
  CHECK(shell == shell_expected.size());
  MESSAGE(entries.size() << " maintainer scripts audited, " << report.findings.size() << " findings");
  fs::remove(zip);
}

TEST_CASE("this machine's systemd units and crontabs: systemd and cron accept them, so no PA303 or PA305") {
  std::vector<ZipEntrySpec> entries;
  for (const char* dir : {"/lib/systemd/system", "/usr/lib/systemd/system", "/etc/systemd/system"}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied)) {
      if (!e.is_regular_file() || e.is_symlink()) continue;
      const std::string ext = e.path().extension().string();
      const bool unit = ext == ".service" || ext == ".timer" || ext == ".socket" || ext == ".path" ||
                        ext == ".mount" || ext == ".target" || ext == ".slice" || ext == ".automount" ||
                        ext == ".swap" || (ext == ".conf" && e.path().parent_path().extension() != "");
      if (!unit) continue;
      ZipEntrySpec spec;
      spec.name = "units" + e.path().string();
      spec.data = slurp(e.path());
      entries.push_back(std::move(spec));
    }
  }
  if (fs::is_directory("/etc/cron.d")) {
    for (const auto& e : fs::directory_iterator("/etc/cron.d")) {
      if (!e.is_regular_file()) continue;
      ZipEntrySpec spec;
      spec.name = "etc/cron.d/" + e.path().filename().string();
      spec.data = slurp(e.path());
      entries.push_back(std::move(spec));
    }
  }
  if (fs::exists("/etc/crontab")) entries.push_back({"etc/crontab", slurp("/etc/crontab")});
  if (entries.empty()) {
    MESSAGE("no systemd units or crontabs on this machine");
    return;
  }
  // Names may repeat between /lib and /usr/lib on merged-/usr systems.
  std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.name < b.name; });
  entries.erase(std::unique(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.name == b.name; }),
                entries.end());
  const fs::path zip = fs::temp_directory_path() / ("pkgaudit-host-" + std::to_string(::getpid()) + ".zip");
  REQUIRE(write_zip(zip.string(), entries).empty());
  Options options;
  options.select = {"PA303", "PA305"};
  auto report = audit_path(zip.string(), options);
  REQUIRE(report);
  size_t units = 0, crontabs = 0;
  for (const Artifact& a : report.value().artifacts) {
    units += a.kind == FileKind::systemd_unit;
    crontabs += a.kind == FileKind::crontab;
  }
  for (const Finding& f : report.value().findings) {
    FAIL_CHECK(f.rule_id << " " << f.location.path << ":" << f.location.line << ":" << f.location.column << ": "
                         << f.message);
  }
  MESSAGE(units << " unit files and " << crontabs << " crontabs of this machine checked");
  CHECK(units + crontabs > 0);
  fs::remove(zip);
}

TEST_CASE("a finding in a script that cron runs carries the cron line as a related location") {
  const std::vector<ZipEntrySpec> entries{
      {"etc/cron.d/dten-import", "0 3 * * * dten /opt/dten/scripts/import-data.sh\n"},
      {"scripts/import-data.sh", "#!/bin/sh\nsudo -n /opt/dten/bin/import\n"},
      {"systemd/dten-sync.service", "[Service]\nType=oneshot\nExecStart=/opt/dten/scripts/sync.sh\n"},
      {"systemd/dten-sync.timer", "[Timer]\nOnCalendar=*-*-* 04:15:00\n"},
      {"scripts/sync.sh", "#!/bin/sh\nsudo /opt/dten/bin/sync\n"},
  };
  const fs::path zip = fs::temp_directory_path() / ("pkgaudit-related-" + std::to_string(::getpid()) + ".zip");
  REQUIRE(write_zip(zip.string(), entries).empty());
  Options options;
  options.select = {"PA201"};
  auto result = audit_path(zip.string(), options);
  REQUIRE(result);
  const Report& report = result.value();
  REQUIRE(report.findings.size() == 2);
  const Finding& cron = report.findings[0];
  CHECK(cron.location.path == "scripts/import-data.sh");
  REQUIRE(cron.related.size() == 1);
  CHECK(cron.related[0].location.path == "etc/cron.d/dten-import");
  CHECK(cron.related[0].location.line == 1);
  CHECK(cron.related[0].message == "run by etc/cron.d/dten-import:1 (daily at 03:00).");
  const Finding& timer = report.findings[1];
  REQUIRE(timer.related.size() == 1);
  CHECK(timer.related[0].location.path == "systemd/dten-sync.service");
  CHECK(timer.related[0].location.line == 3);
  CHECK(timer.related[0].message.find("started daily at 04:15 by systemd/dten-sync.timer") != std::string::npos);

  CHECK(render_text(report, {}).find("      = run by etc/cron.d/dten-import:1 (daily at 03:00)\n") != std::string::npos);
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(render_sarif(report).c_str()).HasParseError());
  const auto& related = d["runs"][0]["results"][0]["relatedLocations"];
  REQUIRE(related.Size() == 1);
  CHECK(std::string(related[0]["physicalLocation"]["artifactLocation"]["uri"].GetString()) == "etc/cron.d/dten-import");
  fs::remove(zip);
}

TEST_CASE("output is identical, byte for byte, for any --jobs and --batch-bytes") {
  // The bundled package and this machine's maintainer scripts (hundreds of files).
  std::vector<std::string> packages{kZip};
  const fs::path info = "/var/lib/dpkg/info";
  if (fs::is_directory(info)) {
    std::vector<ZipEntrySpec> entries;
    for (const auto& e : fs::directory_iterator(info)) {
      if (e.path().extension() == ".postinst" || e.path().extension() == ".prerm") {
        entries.push_back({"info/" + e.path().filename().string(), slurp(e.path())});
      }
    }
    std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.name < b.name; });
    const fs::path zip = fs::temp_directory_path() / ("pkgaudit-jobs-" + std::to_string(::getpid()) + ".zip");
    REQUIRE(write_zip(zip.string(), entries).empty());
    packages.push_back(zip.string());
  }
  // Rendering runs on the audit's jobs too (in chunks of findings).
  for (const std::string& package : packages) {
    for (const char* format : {"sarif", "json", "text"}) {
      std::string first;
      for (const char* flags : {"--jobs 1", "--jobs 2", "--jobs 3", "--jobs 8", "--jobs 2 --batch-bytes 1",
                                "--jobs 1 --batch-bytes 5000", "--jobs 3 --batch-bytes 100000"}) {
        const CommandResult r = run_command(shell_quote(PKGAUDIT_CLI) + " scan " + shell_quote(package) +
                                            " --format " + format + " --fail-on never " + flags);
        REQUIRE(r.exit_code == 0);
        if (first.empty()) first = r.out;
        INFO(package << " " << format << " " << flags);
        CHECK(r.out == first);
      }
    }
  }
  if (packages.size() > 1) fs::remove(packages.back());
}
