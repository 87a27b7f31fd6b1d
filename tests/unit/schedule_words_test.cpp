#include <doctest/doctest.h>

#include "parse/cron/crontab.hpp"
#include "parse/unit/calendar.hpp"

namespace {

std::string words(std::string_view schedule) {
  std::vector<std::string> problems;
  const auto entry = pkgaudit::cron::parse_schedule(schedule, problems);
  REQUIRE_MESSAGE(entry.has_value(), schedule);
  return entry->schedule;
}

}  // namespace

TEST_CASE("cron schedules in words") {
  const std::pair<const char*, const char*> cases[] = {
      {"0 3 * * *", "daily at 03:00"},
      {"30 4 * * *", "daily at 04:30"},
      {"* * * * *", "every minute"},
      {"*/5 * * * *", "every 5 minutes"},
      {"*/15 1-5 * jan-jun mon-fri", "every 15 minutes, 01:00\u201305:59, Monday\u2013Friday, January\u2013June"},
      {"0 * * * *", "hourly at minute 0"},
      {"17 * * * *", "hourly at minute 17"},
      {"0 */2 * * *", "every 2 hours at minute 0"},
      {"0 9,17 * * *", "daily at 09:00 and 17:00"},
      {"0,30 8 * * *", "daily at 08:00 and 08:30"},
      {"0 0 * * 0", "weekly on Sunday at 00:00"},
      {"0 0 * * 7", "weekly on Sunday at 00:00"},
      {"15 6 * * mon", "weekly on Monday at 06:15"},
      {"0 22 * * 1-5", "at 22:00, Monday\u2013Friday"},
      {"0 8 * * sat,sun", "at 08:00, Saturday and Sunday"},
      {"30 4 1 * *", "monthly on day 1 at 04:30"},
      {"0 0 1 1 *", "yearly on January 1 at 00:00"},
      {"0 12 1,15 * *", "at 12:00, on day 1 and 15 of the month"},
      {"0 12 13 * 5", "at 12:00, on day 13 of the month or on Friday"},
      {"0 3 * 6 *", "at 03:00, June"},
      {"* 3 * * *", "every minute, 03:00\u201303:59"},
      {"*/10 9-17 * * 1-5", "every 10 minutes, 09:00\u201317:59, Monday\u2013Friday"},
      {"5,35 * * * *", "at minute 5 and 35"},
      {"@daily", "daily at 00:00"},
      {"@midnight", "daily at 00:00"},
      {"@hourly", "hourly at minute 0"},
      {"@weekly", "weekly on Sunday at 00:00"},
      {"@monthly", "monthly on day 1 at 00:00"},
      {"@yearly", "yearly on January 1 at 00:00"},
      {"@annually", "yearly on January 1 at 00:00"},
      {"@reboot", "at boot"},
  };
  for (const auto& [schedule, expected] : cases) {
    INFO(schedule);
    CHECK(words(schedule) == expected);
  }
  CHECK(sizeof cases / sizeof cases[0] >= 25);
}

TEST_CASE("timer calendars in words") {
  using pkgaudit::unit::describe_calendar;
  CHECK(describe_calendar("*-*-* 03:00:00") == "daily at 03:00");
  CHECK(describe_calendar("daily") == "daily at 00:00");
  CHECK(describe_calendar("hourly") == "hourly at minute 0");
  CHECK(describe_calendar("weekly") == "weekly on Monday at 00:00");
  CHECK(describe_calendar("Mon..Fri *-*-* 06:30") == "at 06:30, Monday\u2013Friday");
  CHECK(describe_calendar("Sun 02:00") == "weekly on Sunday at 02:00");
  CHECK(describe_calendar("*-*-01 04:00:00") == "monthly on day 1 at 04:00");
  CHECK(describe_calendar("*-12-24 18:00") == "yearly on December 24 at 18:00");
  CHECK(describe_calendar("*:0/15") == "every 15 minutes");
  CHECK(describe_calendar("2026-01-01 00:00") == "on calendar '2026-01-01 00:00'");
}

TEST_CASE("schedules cron rejects or misreads") {
  std::vector<std::string> problems;
  CHECK_FALSE(pkgaudit::cron::parse_schedule("0 24 * * *", problems).has_value());
  CHECK(problems.back().find("hour 24 is out of range 0-23") != std::string::npos);
  CHECK_FALSE(pkgaudit::cron::parse_schedule("0 0 * * funday", problems).has_value());
  CHECK_FALSE(pkgaudit::cron::parse_schedule("0 0 *", problems).has_value());
  problems.clear();
  CHECK(pkgaudit::cron::parse_schedule("5/15 * * * *", problems).has_value());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("means only 5") != std::string::npos);
}
