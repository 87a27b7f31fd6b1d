#include <doctest/doctest.h>

#include <algorithm>

#include "source/entry_name.hpp"

using pkgaudit::source::NameIssue;
using pkgaudit::source::normalise_entry_name;

namespace {
bool has(const pkgaudit::source::NormalisedName& n, NameIssue issue) {
  return std::find(n.issues.begin(), n.issues.end(), issue) != n.issues.end();
}
}  // namespace

TEST_CASE("safe names are unchanged") {
  for (const char* name : {"a.sh", "scripts/upgrade.sh", "docs/naïve.md", ".hidden/x", "a/..b/c"}) {
    const auto n = normalise_entry_name(name);
    INFO(name);
    CHECK(n.issues.empty());
    CHECK(n.name == name);
  }
  CHECK(normalise_entry_name("./a//b/./c").name == "a/b/c");
  CHECK(normalise_entry_name("dir/").is_directory);
}

TEST_CASE("traversal and absolute forms") {
  auto n = normalise_entry_name("../../etc/cron.d/x");
  CHECK(has(n, NameIssue::parent_segment));
  CHECK(n.climbs_out);
  CHECK(n.name == "etc/cron.d/x");

  n = normalise_entry_name("a/../b");
  CHECK(has(n, NameIssue::parent_segment));
  CHECK_FALSE(n.climbs_out);
  CHECK(n.name == "b");

  n = normalise_entry_name("/etc/passwd");
  CHECK(has(n, NameIssue::absolute));
  CHECK(n.name == "etc/passwd");

  n = normalise_entry_name("C:/Windows/x.bat");
  CHECK(has(n, NameIssue::drive_letter));
  CHECK(n.name == "Windows/x.bat");

  n = normalise_entry_name("D:\\evil\\x");
  CHECK(has(n, NameIssue::drive_letter));
  CHECK(has(n, NameIssue::backslash));
  CHECK(n.name == "evil/x");

  n = normalise_entry_name("\\\\host\\share\\x");
  CHECK(has(n, NameIssue::unc_path));
  CHECK(n.name == "host/share/x");

  n = normalise_entry_name("..\\..\\x");
  CHECK(n.climbs_out);
  CHECK(n.name == "x");
}

TEST_CASE("bytes that hide what a name is") {
  auto n = normalise_entry_name(std::string("a\0b", 3));
  CHECK(has(n, NameIssue::nul_byte));
  n = normalise_entry_name("docs/\x1b[31mred");
  CHECK(has(n, NameIssue::control_char));
  n = normalise_entry_name("read\xe2\x80\xaeme.txt.sh");
  CHECK(has(n, NameIssue::bidi_override));
  n = normalise_entry_name("..");
  CHECK(has(n, NameIssue::empty));
  CHECK(n.name.empty());
}

TEST_CASE("NameFlags keeps what normalising found, without the name") {
  for (const std::string& raw : {std::string("/a\\..\\..\\b\x01/"), std::string("C:\\x"), std::string("ok/name.sh"),
                                std::string(".."), std::string("//host/share/x"), std::string("a/\xe2\x80\xae/b/")}) {
    INFO(raw);
    const auto n = normalise_entry_name(raw);
    const pkgaudit::source::NameFlags flags(n);
    CHECK(flags.issues() == n.issues);
    CHECK(flags.any() == !n.issues.empty());
    CHECK(flags.climbs_out() == n.climbs_out);
    CHECK(flags.is_directory() == n.is_directory);
    CHECK(flags.unnamed() == n.name.empty());
    for (const NameIssue issue : {NameIssue::absolute, NameIssue::parent_segment, NameIssue::backslash,
                                  NameIssue::control_char, NameIssue::empty}) {
      CHECK(flags.has(issue) == has(n, issue));
    }
  }
  // Several at once, in the order NameIssue lists them.
  const std::vector<NameIssue> several =
      pkgaudit::source::NameFlags(normalise_entry_name("/a\\..\\..\\b\x01")).issues();
  CHECK(several.size() >= 3);
  CHECK(std::is_sorted(several.begin(), several.end()));
}
