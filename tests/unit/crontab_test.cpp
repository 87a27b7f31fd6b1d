#include <doctest/doctest.h>

#include "parse/cron/crontab.hpp"
#include "text/line_index.hpp"

using namespace pkgaudit;

TEST_CASE("system crontab: environment, entries, user, command parsed as shell with crontab positions") {
  const std::string text =
      "# comment\nSHELL=/bin/bash\nMAILTO = \"ops@example.com\"\n\n0 3 * * * dten sudo /opt/x.sh --flag\n"
      "@reboot root /opt/boot.sh\n";
  const cron::Crontab tab = cron::parse_crontab(text, "etc/cron.d/dten", Limits{});
  CHECK(tab.system_format);
  CHECK(tab.problems.empty());
  REQUIRE(tab.environment.size() == 2);
  CHECK(tab.environment[1].name == "MAILTO");
  CHECK(tab.environment[1].value == "ops@example.com");
  REQUIRE(tab.entries.size() == 2);
  const cron::Entry& e = tab.entries[0];
  CHECK(e.line == 5);
  CHECK(e.user == "dten");
  CHECK(e.command == "sudo /opt/x.sh --flag");
  CHECK(e.schedule == "daily at 03:00");
  REQUIRE(e.shell.has_value());
  const auto sudo = e.shell->commands_named({"sudo"});
  REQUIRE(sudo.size() == 1);
  text::LineIndex lines(text);
  const auto pos = lines.position(sudo[0]->name.span.begin);
  CHECK(pos.line == 5);
  CHECK(pos.column == 16);
  CHECK(tab.entries[1].schedule == "at boot");
}

TEST_CASE("percent signs: the first unescaped one ends the command, \\% is literal") {
  const std::string text = "0 1 * * * root date +\\%F > /tmp/d\n0 2 * * * root mail -s hi root%line one%line two\n";
  const cron::Crontab tab = cron::parse_crontab(text, "etc/crontab", Limits{});
  REQUIRE(tab.entries.size() == 2);
  CHECK(tab.entries[0].command == "date +%F > /tmp/d");
  CHECK(tab.entries[1].command == "mail -s hi root");
  CHECK(tab.entries[1].input == "line one\nline two");
  REQUIRE(tab.problems.size() == 1);
  CHECK(tab.problems[0].message.find("unescaped '%'") == 0);
}

TEST_CASE("user crontab: no user field; path decides the format") {
  CHECK(cron::is_system_crontab_path("etc/cron.d/x"));
  CHECK(cron::is_system_crontab_path("etc/crontab"));
  CHECK_FALSE(cron::is_system_crontab_path("crontab"));
  CHECK_FALSE(cron::is_system_crontab_path("cron/dten.cron"));
  const cron::Crontab tab = cron::parse_crontab("*/5 * * * * /opt/poll.sh\n", "dten.cron", Limits{});
  REQUIRE(tab.entries.size() == 1);
  CHECK(tab.entries[0].user.empty());
  CHECK(tab.entries[0].command == "/opt/poll.sh");
}

TEST_CASE("a last line without a newline is reported; a file of comments is fine") {
  CHECK(cron::parse_crontab("0 3 * * * root /bin/true", "etc/cron.d/x", Limits{}).problems.size() == 1);
  CHECK(cron::parse_crontab("# only a comment", "etc/cron.d/x", Limits{}).problems.empty());
  CHECK(cron::parse_crontab("", "etc/cron.d/x", Limits{}).problems.empty());
}
