// The binary as users and CI run it: exit codes, one-line errors, formats.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <rapidjson/document.h>

#include "pkgaudit/version.hpp"
#include "run_command.hpp"
#include "scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace pkgaudit::testing;

namespace {

const std::string kCli = PKGAUDIT_CLI;
const std::string kZip = PKGAUDIT_DTEN_ZIP;

CommandResult cli(const std::string& args, bool merge_stderr = false) {
  return run_command(shell_quote(kCli) + " " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null"));
}

std::string stderr_of(const std::string& args) {
  return run_command(shell_quote(kCli) + " " + args + " 2>&1 >/dev/null").out;
}

fs::path temp_dir() {
  static const ScratchDir dir("pkgaudit-cli-");
  return dir.path();
}

void write(const fs::path& p, const std::string& data) {
  std::ofstream(p, std::ios::binary) << data;
}

// One clear line on stderr naming the file; exit 2; no crash.
void check_one_line_error(const std::string& args, const std::string& must_mention) {
  INFO(args);
  const CommandResult r = cli(args);
  CHECK(r.exit_code == 2);
  const std::string err = stderr_of(args);
  CHECK(err.starts_with("pkgaudit: "));
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  CHECK(err.find(must_mention) != std::string::npos);
}

}  // namespace

TEST_CASE("exit codes follow --fail-on") {
  CHECK(cli("scan " + shell_quote(kZip)).exit_code == 1);  // warnings, default threshold warning
  CHECK(cli("scan " + shell_quote(kZip) + " --fail-on warning").exit_code == 1);
  CHECK(cli("scan " + shell_quote(kZip) + " --fail-on note").exit_code == 1);
  CHECK(cli("scan " + shell_quote(kZip) + " --fail-on error").exit_code == 1);
  CHECK(cli("scan " + shell_quote(kZip) + " --select PA201 --fail-on error").exit_code == 0);  // warnings only
  CHECK(cli("scan " + shell_quote(kZip) + " --select PA304 --fail-on warning").exit_code == 0);  // notes only
  CHECK(cli("scan " + shell_quote(kZip) + " --select PA304 --fail-on note").exit_code == 1);
  CHECK(cli("scan " + shell_quote(kZip) + " --fail-on never").exit_code == 0);
  const fs::path dir = temp_dir() / "clean";
  fs::create_directories(dir);
  write(dir / "ok.sh", "#!/bin/sh\necho fine\n");
  CHECK(cli("scan " + shell_quote(dir.string())).exit_code == 0);
}

TEST_CASE("bad input is one clear line and exit 2") {
  const fs::path dir = temp_dir();
  check_one_line_error("scan /nonexistent/package.zip", "/nonexistent/package.zip");
  write(dir / "not-a-zip.zip", "this is text, not a zip archive\n");
  check_one_line_error("scan " + shell_quote((dir / "not-a-zip.zip").string()), "not a zip archive");
  write(dir / "empty.zip", "");
  check_one_line_error("scan " + shell_quote((dir / "empty.zip").string()), "empty.zip");
  {
    std::ifstream in(kZip, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    write(dir / "truncated.zip", bytes.substr(0, bytes.size() / 2));
  }
  check_one_line_error("scan " + shell_quote((dir / "truncated.zip").string()), "truncated.zip");
  check_one_line_error("scan " + shell_quote(kZip) + " --format xml", "--format");
  check_one_line_error("scan", "PACKAGE");
  check_one_line_error("scan " + shell_quote(kZip) + " --select PA999", "PA999");
  check_one_line_error("explain PA999", "PA999");
  check_one_line_error("scan " + shell_quote(kZip) + " --output /nonexistent/dir/out.sarif", "/nonexistent/dir");
  check_one_line_error("frobnicate", "frobnicate");
  check_one_line_error("scan " + shell_quote(kZip) + " --units-file /nonexistent/units.txt", "/nonexistent/units.txt");
}

TEST_CASE("an unreadable directory is a clear error, never a crash") {
  if (::geteuid() == 0) {
    MESSAGE("running as root: permissions do not apply, only the no-crash part is checked");
  }
  const fs::path dir = temp_dir() / "locked";
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::none);
  const CommandResult r = cli("scan " + shell_quote(dir.string()));
  CHECK((r.exit_code == 0 || r.exit_code == 2));
  if (::geteuid() != 0) CHECK(stderr_of("scan " + shell_quote(dir.string())).find("locked") != std::string::npos);
  fs::permissions(dir, fs::perms::owner_all);
}

TEST_CASE("formats: text, sarif, json; --output writes the file") {
  const CommandResult text = cli("scan " + shell_quote(kZip) + " --fail-on never");
  CHECK(text.out.find("upgrade.sh:12:1: warning[PA201]") != std::string::npos);
  CHECK(text.out.find('\x1b') == std::string::npos);  // not a terminal: no colour

  const fs::path out = temp_dir() / "out.sarif";
  CHECK(cli("scan " + shell_quote(kZip) + " --format sarif --fail-on never --output " + shell_quote(out.string()))
            .exit_code == 0);
  std::ifstream in(out);
  std::string sarif((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  rapidjson::Document d;
  CHECK_FALSE(d.Parse(sarif.c_str()).HasParseError());

  const CommandResult json = cli("scan " + shell_quote(kZip) + " --format json --fail-on never");
  rapidjson::Document j;
  REQUIRE_FALSE(j.Parse(json.out.c_str()).HasParseError());
  CHECK(j["findings"].Size() > 0);

  const CommandResult forced = run_command("NO_COLOR= " + shell_quote(kCli) + " scan " + shell_quote(kZip) +
                                           " --color always --fail-on never");
  CHECK(forced.out.find("\x1b[") != std::string::npos);
}

TEST_CASE("a report that cannot be written is a one-line error, and no half-written file is left") {
  // /dev/full takes the open and refuses every write, as a full disk does.
  check_one_line_error("scan " + shell_quote(kZip) + " --format sarif --fail-on never --output /dev/full",
                       "/dev/full: writing failed");
  const CommandResult to_stdout =
      run_command(shell_quote(kCli) + " scan " + shell_quote(kZip) + " --fail-on never 2>&1 >/dev/full");
  CHECK(to_stdout.exit_code == 2);
  CHECK(to_stdout.out == "pkgaudit: writing the report to standard output failed\n");
  CHECK(fs::exists("/dev/full"));  // a device is never removed, only regular files

  // A file limit of 1 KiB (SIGXFSZ ignored, so the write fails with EFBIG)
  // stops the SARIF part-way: the error names the file, and the file is gone.
  const fs::path partial = temp_dir() / "partial.sarif";
  const CommandResult limited = run_command("trap '' XFSZ; ulimit -f 1; " + shell_quote(kCli) + " scan " +
                                            shell_quote(kZip) + " --format sarif --fail-on never --output " +
                                            shell_quote(partial.string()) + " 2>&1");
  CHECK(limited.exit_code == 2);
  CHECK(limited.out == "pkgaudit: " + partial.string() + ": writing failed: File too large\n");
  CHECK_FALSE(fs::exists(partial));
  const fs::path dir = temp_dir() / "missing-parent";  // its no/such/ subdirectory does not exist
  fs::create_directories(dir);
  check_one_line_error("scan " + shell_quote(kZip) + " --output " + shell_quote((dir / "no/such/dir.sarif").string()),
                       "cannot write");
}

TEST_CASE("rules, explain, version, help") {
  const CommandResult rules = cli("rules");
  CHECK(rules.exit_code == 0);
  CHECK(rules.out.find("PA201  assumed-sudo") != std::string::npos);
  const CommandResult json = cli("rules --format json");
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(json.out.c_str()).HasParseError());
  CHECK(d.IsArray());
  const CommandResult explain = cli("explain PA201");
  CHECK(explain.exit_code == 0);
  CHECK(explain.out.find("## Use instead") != std::string::npos);
  CHECK(cli("version").out.find("pkgaudit " PKGAUDIT_VERSION_STRING) == 0);
  for (const char* sub : {"--help", "scan --help", "rules --help", "explain --help", "version --help"}) {
    INFO(sub);
    const CommandResult help = cli(sub);
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Usage") != std::string::npos);
  }
}

TEST_CASE("nothing is ever written to disk: a traversal zip audited in an empty directory leaves it empty") {
  const fs::path dir = temp_dir() / "sandbox" / "a" / "b";
  fs::remove_all(temp_dir() / "sandbox");
  fs::create_directories(dir);
  const fs::path zip = temp_dir() / "traversal.zip";
  const std::string mkzip = PKGAUDIT_MKZIP;
  const CommandResult made = run_command(shell_quote(mkzip) + " " + shell_quote(zip.string()) +
                                         " --text ../../escaped.sh 'sudo id' --text ../../../sandbox-escape.txt x" +
                                         " --text /tmp/pkgaudit-absolute-" + std::to_string(::getpid()) + ".sh x" +
                                         " --symlink link ../../.. --text link/through.sh x --text inside.sh x");
  REQUIRE(made.exit_code == 0);
  const CommandResult r = run_command("cd " + shell_quote(dir.string()) + " && " + shell_quote(kCli) + " scan " +
                                      shell_quote(zip.string()) + " --format sarif --fail-on never > /dev/null");
  CHECK(r.exit_code == 0);
  size_t found = 0;
  for (const auto& e : fs::recursive_directory_iterator(temp_dir() / "sandbox")) found += e.is_regular_file() || e.is_symlink();
  CHECK(found == 0);
  CHECK_FALSE(fs::exists(dir.parent_path().parent_path() / "escaped.sh"));
  CHECK_FALSE(fs::exists(temp_dir() / "sandbox-escape.txt"));
  CHECK_FALSE(fs::exists("/tmp/pkgaudit-absolute-" + std::to_string(::getpid()) + ".sh"));
}
