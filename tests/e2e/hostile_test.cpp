// The hostile corpus of the hostile-input issue, crafted at test time with
// the project's own byte-level zip writer and audited from memory. Each
// case must end in its finding or a clear error; none may crash or hang.
// (Name forms, duplicates, symlinks and encrypted entries also have rule
// fixtures under fixtures/rules/PA10x/.)
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "pkgaudit/auditor.hpp"
#include "pkgaudit/config.hpp"
#include "pkgaudit/report.hpp"
#include "source/zip_structure.hpp"
#include "zip_writer.hpp"

using namespace pkgaudit;
namespace fs = std::filesystem;
using pkgaudit::testing::raw_zip_bytes;
using pkgaudit::testing::RawZipOptions;
using pkgaudit::testing::ZipEntrySpec;

namespace {

ZipEntrySpec text(std::string name, std::string data) {
  ZipEntrySpec e;
  e.name = std::move(name);
  e.data = std::move(data);
  return e;
}

// The local header gives another CRC than the central directory.
ZipEntrySpec with_local_crc_mismatch(std::string name) {
  ZipEntrySpec e = text(std::move(name), "echo x\n");
  e.local_crc_xor = 0x1;
  return e;
}

// A data descriptor follows the data and disagrees with the central directory.
ZipEntrySpec with_descriptor_mismatch(std::string name) {
  ZipEntrySpec e = text(std::move(name), "echo x\n");
  e.data_descriptor = true;
  e.descriptor_crc_xor = 0xFF;
  return e;
}

Report audit(const std::vector<ZipEntrySpec>& entries, Options options = {}, const RawZipOptions& raw = {}) {
  auto report = audit_zip_bytes(raw_zip_bytes(entries, raw), "hostile.zip", options);
  REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
  return std::move(report).value();
}

std::vector<Finding> findings_of(const Report& r, std::string_view rule, std::string_view path = {}) {
  std::vector<Finding> out;
  for (const Finding& f : r.findings) {
    if (f.rule_id == rule && (path.empty() || f.location.path == path)) out.push_back(f);
  }
  return out;
}

const Artifact* artifact(const Report& r, std::string_view path) {
  for (const Artifact& a : r.artifacts) {
    if (a.path == path) return &a;
  }
  return nullptr;
}

bool contains(const std::string& haystack, std::string_view needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("hostile: a local header that names the entry differently is not audited") {
  ZipEntrySpec evil = text("install.sh", "sudo rm -rf /\n");
  evil.local_name = "readme.txt";
  const Report r = audit({text("ok.sh", "echo ok\n"), evil});
  const auto f = findings_of(r, "PA102", "install.sh");
  REQUIRE(f.size() == 1);
  CHECK(contains(f[0].message, "the local header names the entry 'readme.txt', the central directory 'install.sh'"));
  REQUIRE(artifact(r, "install.sh"));
  CHECK_FALSE(artifact(r, "install.sh")->audited);
  CHECK(findings_of(r, "PA201").empty());  // its content was not taken from either reading
  CHECK(artifact(r, "ok.sh")->audited);
}

TEST_CASE("hostile: local CRC and data descriptor disagreeing with the central directory") {
  ZipEntrySpec honest_descriptor = text("c.sh", "echo c\n");
  honest_descriptor.data_descriptor = true;
  const Report r = audit({with_local_crc_mismatch("a.sh"), with_descriptor_mismatch("b.sh"), honest_descriptor});
  REQUIRE(findings_of(r, "PA102", "a.sh").size() == 1);
  CHECK(contains(findings_of(r, "PA102", "a.sh")[0].message, "the local header of 'a.sh' says CRC"));
  REQUIRE(findings_of(r, "PA102", "b.sh").size() == 1);
  CHECK(contains(findings_of(r, "PA102", "b.sh")[0].message, "the data descriptor of 'b.sh' says CRC"));
  CHECK(findings_of(r, "PA102", "c.sh").empty());
  CHECK(artifact(r, "c.sh")->audited);
}

TEST_CASE("hostile: a zip on disk, read in place, is audited exactly as the same bytes in memory") {
  // Two readings of one archive: pread for a file, a buffer for nested
  // archives and library callers. Every structure check must see the same.
  ZipEntrySpec renamed = text("install.sh", "sudo rm -rf /\n");
  renamed.local_name = "readme.txt";
  ZipEntrySpec shared = text("shared.sh", "");
  shared.shares_data_of = 0;
  const std::string zip = raw_zip_bytes({text("ok.sh", "sudo systemctl restart gone.service\n"), renamed,
                                         with_local_crc_mismatch("a.sh"), with_descriptor_mismatch("b.sh"), shared});
  char path[] = "/tmp/pkgaudit-in-place-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, zip.data(), zip.size()) == static_cast<ssize_t>(zip.size()));
  close(fd);
  auto from_file = audit_path(path, {});
  auto from_memory = audit_zip_bytes(zip, path, {});
  unlink(path);
  REQUIRE(from_file);
  REQUIRE(from_memory);
  CHECK(findings_of(from_file.value(), "PA102").size() == 4);
  CHECK(render_json(from_file.value()) == render_json(from_memory.value()));
}

TEST_CASE("hostile: a script whose bytes change on disk between the two readings is not audited") {
  // Scripts are read once to classify and hash them, then again for their
  // batch; what is checked must be what was hashed. The archive is
  // rewritten in place once the first reading is past the script.
  const std::string original = "#!/bin/sh\nsudo systemctl restart gone.service\n";
  const std::string swapped = "#!/bin/sh\necho fine; echo fine; echo all fine\n";
  REQUIRE(original.size() == swapped.size());
  ZipEntrySpec script = text("changed.sh", original);
  script.store = true;
  // Filler past any stdio buffer: the second reading must reach the file.
  ZipEntrySpec filler = text("z.bin", std::string(256 * 1024, 'z'));
  filler.store = true;
  const std::string zip = raw_zip_bytes({script, text("other.sh", "#!/bin/sh\nsudo ls\n"), filler});
  const size_t at = zip.find(original);
  REQUIRE(at != std::string::npos);
  char path[] = "/tmp/pkgaudit-changed-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, zip.data(), zip.size()) == static_cast<ssize_t>(zip.size()));
  Options options;
  bool rewritten = false;
  options.progress = [&](uint64_t done, uint64_t count, uint64_t) {
    if (done != count || rewritten) return;  // the last entry's turn: changed.sh was read
    rewritten = pwrite(fd, swapped.data(), swapped.size(), static_cast<off_t>(at)) == static_cast<ssize_t>(swapped.size());
  };
  auto result = audit_path(path, options);
  close(fd);
  unlink(path);
  REQUIRE(rewritten);
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  const Report& r = result.value();
  const Artifact* changed = artifact(r, "changed.sh");
  REQUIRE(changed != nullptr);
  CHECK_FALSE(changed->audited);
  CHECK(contains(changed->not_audited_reason, "changed between two readings"));
  CHECK(findings_of(r, "PA301", "changed.sh").empty());  // neither the first bytes' finding nor a guess
  CHECK(findings_of(r, "PA201", "other.sh").size() == 1);  // the rest is audited
  const auto structure = findings_of(r, "PA102", "changed.sh");
  REQUIRE(structure.size() == 1);
  CHECK(contains(structure[0].message, "changed between two readings"));
}

TEST_CASE("hostile: an overlapping-entries bomb is cut short, within a CPU and memory bound") {
  // One deflated entry of 64 MiB of zeros, and 2,000 more central entries
  // that all point at its data: read naively, 128 GiB of output.
  ZipEntrySpec base = text("zeros", std::string(64u << 20, '\0'));
  base.deflate = true;
  std::vector<ZipEntrySpec> entries = {base};
  for (int i = 1; i <= 2000; ++i) {
    ZipEntrySpec copy;
    copy.name = "zeros";
    copy.shares_data_of = 0;
    entries.push_back(copy);
  }
  const std::string zip = raw_zip_bytes(entries);
  auto result = audit_zip_bytes(zip, "overlap.zip", {});
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  size_t overlaps = 0;
  for (const Finding& f : result.value().findings) {
    overlaps += f.rule_id == "PA102" && contains(f.message, "overlap those of 'zeros'");
  }
  CHECK(overlaps == 2000);

  // CPU and peak memory of the whole CLI process on it, from wait4: a bound
  // (the copies are never inflated), not a timing assertion.
  char path[] = "/tmp/pkgaudit-overlap-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, zip.data(), zip.size()) == static_cast<ssize_t>(zip.size()));
  close(fd);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    execl(PKGAUDIT_CLI, PKGAUDIT_CLI, "scan", path, "--format", "json", "--output", "/dev/null", "--fail-on", "never",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  REQUIRE(wait4(pid, &status, 0, &usage) == pid);
  unlink(path);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
#ifdef PKGAUDIT_SANITIZED
  constexpr double kSlowdown = 10;  // ASan and UBSan: the bound still says "never inflated 2,000 times"
  constexpr long kShadowKiB = 512 * 1024;
#else
  constexpr double kSlowdown = 1;
  constexpr long kShadowKiB = 0;
#endif
  CHECK_MESSAGE(cpu < 1.0 * kSlowdown, "CPU seconds: " << cpu);
  CHECK_MESSAGE(usage.ru_maxrss < 256 * 1024 + kShadowKiB, "peak RSS KiB: " << usage.ru_maxrss);
}

TEST_CASE("hostile: an entry that declares 1 KiB and inflates far beyond the limits") {
  ZipEntrySpec liar = text("payload.sh", std::string(50u << 20, 'A'));
  liar.deflate = true;
  liar.declared_size = 1024;
  const Report r = audit({liar, text("ok.sh", "echo ok\n")});
  const auto f = findings_of(r, "PA102", "payload.sh");
  REQUIRE(f.size() == 1);
  CHECK(contains(f[0].message, "[limits] compression-ratio = 1032"));
  CHECK_FALSE(artifact(r, "payload.sh")->audited);
  CHECK(artifact(r, "ok.sh")->audited);
}

TEST_CASE("hostile: the compression ratio limit, by declared and by actual size") {
  ZipEntrySpec big = text("big.txt", std::string(8u << 20, 'x'));  // honest sizes, ratio ~1000:1 over 1 MiB
  big.deflate = true;
  ZipEntrySpec small = text("small.sh", std::string(512u << 10, 'y') + "\n");  // under 1 MiB: up to 1032:1 is fine
  small.deflate = true;
  const Report r = audit({big, small});
  REQUIRE(findings_of(r, "PA102", "big.txt").size() == 1);
  CHECK(contains(findings_of(r, "PA102", "big.txt")[0].message, "compression-ratio-large = 100 over 1 MiB"));
  CHECK(findings_of(r, "PA102", "small.sh").empty());
  Options loose;
  REQUIRE_FALSE(set_config_value(loose, "limits.compression-ratio-large", "2000"));
  CHECK(findings_of(audit({big}, loose), "PA102").empty());
}

TEST_CASE("hostile: a ZIP64 end record claiming 0xFFFFFFFF entries") {
  RawZipOptions raw;
  raw.zip64_claimed_entries = 0xFFFFFFFFull;
  const std::string zip = raw_zip_bytes({text("a.sh", "echo a\n")}, raw);
  // libzip refuses the archive outright: a clear one-line error, exit 2.
  auto result = audit_zip_bytes(zip, "zip64.zip", {});
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::bad_package);
  CHECK(result.error().message == "zip64.zip: inconsistent zip archive (truncated or corrupt)");
  // The independent walk says why, should libzip ever accept it.
  const auto structure = pkgaudit::source::check_zip_structure(zip);
  bool claimed = false;
  for (const auto& p : structure.problems) claimed = claimed || (p.entry < 0 && contains(p.message, "claims 4294967295 entries"));
  CHECK(claimed);
}

TEST_CASE("hostile: an encrypted postinst is reported as not audited") {
  ZipEntrySpec post = text("DEBIAN/postinst", "#!/bin/sh\nsudo rm -rf /\n");
  post.encrypted = true;
  const Report r = audit({post});
  REQUIRE(findings_of(r, "PA102", "DEBIAN/postinst").size() == 1);
  CHECK(contains(findings_of(r, "PA102", "DEBIAN/postinst")[0].message, "encrypted"));
  CHECK_FALSE(artifact(r, "DEBIAN/postinst")->audited);
}

TEST_CASE("hostile: a NUL inside a name is PA101, with the whole stored name") {
  const Report r = audit({text(std::string("install.sh\0.txt", 15), "echo x\n")});
  const auto f = findings_of(r, "PA101");
  REQUIRE(f.size() == 1);
  CHECK(contains(f[0].message, "NUL"));
  CHECK(contains(r.artifacts.back().path, ".txt"));  // not cut where libzip's C string ends
}

TEST_CASE("hostile: name length, path depth, crontab size and the whole-run limit") {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += "d/";
  const std::string long_name(5000, 'n');
  std::string crontab = "SHELL=/bin/sh\n";
  while (crontab.size() < (1u << 20) + 10) crontab += "0 3 * * * root /bin/true\n";
  const Report r = audit({text(deep + "x.sh", "echo deep\n"), text(long_name + ".sh", "echo long\n"),
                          text("etc/cron.d/huge", crontab), text("ok.sh", "echo ok\n")});
  CHECK(contains(findings_of(r, "PA102", deep + "x.sh").at(0).message, "[limits] path-depth = 64"));
  CHECK(contains(findings_of(r, "PA102", long_name + ".sh").at(0).message, "[limits] name-bytes = 4096"));
  CHECK(contains(findings_of(r, "PA102", "etc/cron.d/huge").at(0).message, "[limits] crontab-bytes = 1048576"));
  CHECK(artifact(r, "ok.sh")->audited);

  Options no_time;
  REQUIRE_FALSE(set_config_value(no_time, "limits.run-seconds", "0"));
  const Report late = audit({text("a.sh", "echo a\n"), text("b.sh", "echo b\n")}, no_time);
  CHECK(findings_of(late, "PA102").size() == 2);
  CHECK(contains(findings_of(late, "PA102", "a.sh").at(0).message, "[limits] run-seconds = 0"));
}

TEST_CASE("hostile: a 50 MB heredoc is stopped by the parse limit, not parsed") {
  std::string body;
  body.reserve(50u << 20);
  uint32_t x = 12345;
  while (body.size() < (50u << 20)) {
    x = x * 1103515245u + 12345u;  // incompressible enough to pass the ratio limit
    body += static_cast<char>('A' + (x >> 16) % 26);
    if (body.size() % 76 == 0) body += '\n';
  }
  ZipEntrySpec script = text("big.sh", "#!/bin/sh\ncat <<'EOF'\n" + body + "\nEOF\n");
  script.deflate = true;
  const Report r = audit({script});
  REQUIRE(findings_of(r, "PA102", "big.sh").size() == 1);
  CHECK(contains(findings_of(r, "PA102", "big.sh")[0].message, "[limits] parse-bytes = 4194304"));
}

TEST_CASE("hostile: truncated, empty and entry-less zips") {
  const std::string whole = raw_zip_bytes({text("a.sh", "echo a\n")});
  auto truncated = audit_zip_bytes(whole.substr(0, whole.size() / 2), "truncated.zip", {});
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().code == ErrorCode::bad_package);
  CHECK(truncated.error().message.starts_with("truncated.zip: "));
  auto empty = audit_zip_bytes("", "empty.zip", {});
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == "empty.zip: empty file, not a zip archive");
  auto none = audit_zip_bytes(raw_zip_bytes({}), "none.zip", {});
  REQUIRE_MESSAGE(none, (none ? "" : none.error().message));
  for (const Finding& f : none.value().findings) CHECK(f.rule_id == "PA602");  // unsigned, nothing else
  CHECK(none.value().artifacts.size() == 1);  // the archive itself
}

TEST_CASE("hostile: nested archives are audited to the nesting limit; a 42.zip-style nest goes no deeper") {
  // Each level holds a script and four archives of the level below; the
  // innermost, five levels down, holds only a script.
  std::string level = raw_zip_bytes({text("level5.sh", "sudo rm -rf /\n")});
  for (int depth = 4; depth >= 0; --depth) {
    std::vector<ZipEntrySpec> entries = {text("level" + std::to_string(depth) + ".sh", "sudo ls\n")};
    for (int i = 0; i < 4; ++i) entries.push_back(text("n" + std::to_string(depth + 1) + "-" + std::to_string(i) + ".zip", level));
    level = raw_zip_bytes(entries);
  }
  auto result = audit_zip_bytes(level, "nest.zip", {});
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  const Report& r = result.value();
  // Scripts of levels 0-3 are audited, with the archive path in theirs.
  CHECK(findings_of(r, "PA201", "level0.sh").size() == 1);
  CHECK(findings_of(r, "PA201", "n1-2.zip!/level1.sh").size() == 1);
  CHECK(findings_of(r, "PA201", "n1-0.zip!/n2-1.zip!/n3-3.zip!/level3.sh").size() == 1);
  size_t scripts = 0, too_deep = 0;
  for (const Finding& f : r.findings) {
    scripts += f.rule_id == "PA201";
    too_deep += f.rule_id == "PA102" && contains(f.message, "[limits] nesting-depth = 3");
  }
  CHECK(scripts == 1 + 4 + 16 + 64);
  CHECK(too_deep == 256);  // the fourth level of archives, not opened
  // Artifacts point at the archive they are in.
  const Artifact* inner = artifact(r, "n1-0.zip!/n2-1.zip!/level2.sh");
  REQUIRE(inner);
  REQUIRE(inner->parent > 0);
  CHECK(r.artifacts[static_cast<size_t>(inner->parent)].path == "n1-0.zip!/n2-1.zip");
  CHECK(r.artifacts[static_cast<size_t>(inner->parent)].kind == FileKind::nested_zip);
  Options deeper;
  REQUIRE_FALSE(set_config_value(deeper, "limits.nesting-depth", "5"));
  auto all = audit_zip_bytes(level, "nest.zip", deeper);
  REQUIRE(all);
  CHECK(findings_of(all.value(), "PA201").size() == 1 + 4 + 16 + 64 + 256 + 1024);
}

TEST_CASE("hostile: 300 heredocs on one line and a 2 KiB heredoc delimiter finish, reported as unparsable") {
  std::string many = "#!/bin/sh\ncat";
  for (int i = 0; i < 300; ++i) many += " <<E" + std::to_string(i);
  many += "\n";
  for (int i = 0; i < 300; ++i) many += "body\nE" + std::to_string(i) + "\n";
  const std::string delimiter(2048, 'D');
  const std::string long_delimiter = "#!/bin/sh\ncat <<" + delimiter + "\nsudo ls\n" + delimiter + "\nsudo id\n";
  const Report r = audit({text("many.sh", many), text("long.sh", long_delimiter)});
  // bash accepts both; tree-sitter-bash 0.25.1 does not, so pkgaudit says
  // it could not parse them (PA103) rather than guessing (a known false
  // positive, noted for an upstream report).
  CHECK(findings_of(r, "PA103", "many.sh").size() == 1);
  CHECK(findings_of(r, "PA103", "long.sh").size() == 1);
}

TEST_CASE("hostile: a one-line script of 2,000 commands: each snippet is its part of the line, the caret under it") {
  // Every finding used to hold the whole line (here 45 KB; a 2.4 MB line
  // of 100,000 commands took all of a 24 GiB machine).
  std::string line;
  for (int i = 0; i < 2000; ++i) line += "sudo rm -rf /opt/x" + std::to_string(i) + ";";
  const Report r = audit({text("long.sh", "#!/bin/sh\n" + line + "\n")});
  const auto sudo = findings_of(r, "PA201", "long.sh");
  REQUIRE(sudo.size() == 2000);
  const std::string ellipsis = "\u2026";
  for (const Finding& f : sudo) {
    const Location& at = f.location;
    REQUIRE(at.snippet_column <= at.column);
    if (at.column - 1 + 160 <= line.size()) {
      CHECK(at.column - at.snippet_column == std::min<uint32_t>(at.column - 1, 80));
    } else {
      CHECK(at.snippet_column - 1 + 240 == line.size());  // near the end, more of what comes before
    }
    const size_t from = at.snippet_column - 1;
    const std::string expected = (from > 0 ? ellipsis : "") + line.substr(from, 240) +
                                 (from + 240 < line.size() ? ellipsis : "");
    REQUIRE(at.snippet == expected);
  }
  // In the text report, the caret is under the command, past the "…".
  const Finding& middle = sudo[1000];
  const std::string out = render_text(r, {});
  const size_t block = out.find(fmt::format("long.sh:2:{}:", middle.location.column));
  REQUIRE(block != std::string::npos);
  const size_t caret_line = out.find("      | ", out.find('\n', out.find('\n', block) + 1));
  REQUIRE(caret_line != std::string::npos);
  const std::string caret = out.substr(caret_line + 8, out.find('\n', caret_line) - caret_line - 8);
  const std::string command = "sudo rm -rf /opt/x1000";
  CHECK(caret == std::string(1 + 80, ' ') + "^" + std::string(command.size() - 1, '~'));
  // The JSON report says where the cut snippet starts, so that a reader
  // can put its own caret there.
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(render_json(r).c_str()).HasParseError());
  size_t matched = 0;
  for (const auto& f : d["findings"].GetArray()) {
    if (std::string_view(f["rule"].GetString()) != "PA201" || f["column"].GetUint() != middle.location.column) continue;
    CHECK(middle.location.snippet_column == middle.location.column - 80);
    CHECK(f["snippet_column"].GetUint() == middle.location.snippet_column);
    CHECK(std::string_view(f["snippet"].GetString()) == middle.location.snippet);
    ++matched;
  }
  CHECK(matched == 1);
}

TEST_CASE("hostile: a script run from 150 cron lines lists the first 100 as related locations, and says so") {
  std::string cron;
  for (int i = 0; i < 150; ++i) cron += std::to_string(i % 60) + " 3 * * * root /opt/pkg/run.sh " + std::to_string(i) + "\n";
  const Report r = audit({text("etc/cron.d/many", cron), text("opt/pkg/run.sh", "#!/bin/sh\nsudo ls\n")});
  const auto sudo = findings_of(r, "PA201", "opt/pkg/run.sh");
  REQUIRE(sudo.size() == 1);
  CHECK(sudo[0].related.size() == 100);
  CHECK(sudo[0].related[99].location.line == 100);
  CHECK(contains(sudo[0].message, "The script is run from 150 places; the first 100 are listed."));
}

TEST_CASE("hostile: invalid UTF-8 in a suppression reason and in the package's own name still gives a report") {
  // The report writers refuse invalid UTF-8; every text from the package
  // (and the path given on the command line) must reach them made valid.
  const fs::path dir = fs::temp_directory_path() / ("pkgaudit-\xff-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "a.sh") << "#!/bin/sh\nsudo ls  # pkgaudit: ignore[PA201] reviewed \xff ok\n";
  Options options;
  options.select = {"PA201"};
  const auto r = audit_path(dir.string(), options);
  fs::remove_all(dir);
  REQUIRE(r);
  REQUIRE(r.value().findings.size() == 1);
  CHECK(r.value().findings[0].suppressed);
  CHECK(r.value().findings[0].justification == "reviewed \xef\xbf\xbd ok");
  CHECK_NOTHROW(render_sarif(r.value()));
  CHECK_NOTHROW(render_json(r.value()));
}
