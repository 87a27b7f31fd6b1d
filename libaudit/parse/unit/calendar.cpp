#include "parse/unit/calendar.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace pkgaudit::unit {
namespace {

constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kDayNames{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                   "July",    "August",   "September", "October", "November", "December"};

std::optional<uint32_t> number(std::string_view s) {
  uint32_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return n;
}

std::string day_name(std::string_view abbrev) {
  for (size_t i = 0; i < kDays.size(); ++i) {
    if (abbrev.size() >= 3 && abbrev.substr(0, 3) == kDays[i]) return std::string(kDayNames[i]);
  }
  return std::string(abbrev);
}

// "Mon..Fri" -> "Monday–Friday"; "Sat,Sun" -> "Saturday and Sunday".
std::string days_in_words(std::string_view spec, bool& single) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= spec.size()) {
    const size_t comma = spec.find(',', pos);
    const std::string_view item = spec.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? spec.size() + 1 : comma + 1;
    const size_t dots = item.find("..");
    if (dots == std::string_view::npos) parts.push_back(day_name(item));
    else parts.push_back(day_name(item.substr(0, dots)) + "\u2013" + day_name(item.substr(dots + 2)));
  }
  single = parts.size() == 1 && parts[0].find("\u2013") == std::string::npos;
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

}  // namespace

std::string describe_calendar(std::string_view raw) {
  std::string_view spec = raw;
  while (!spec.empty() && spec.front() == ' ') spec.remove_prefix(1);
  while (!spec.empty() && spec.back() == ' ') spec.remove_suffix(1);
  if (spec == "minutely") return "every minute";
  if (spec == "hourly") return "hourly at minute 0";
  if (spec == "daily") return "daily at 00:00";
  if (spec == "weekly") return "weekly on Monday at 00:00";
  if (spec == "monthly") return "monthly on day 1 at 00:00";
  if (spec == "yearly" || spec == "annually") return "yearly on January 1 at 00:00";
  if (spec == "quarterly") return "quarterly on the first day at 00:00";
  if (spec == "semiannually") return "twice a year (January 1 and July 1) at 00:00";

  std::string_view days, date, time;
  size_t pos = 0;
  int tokens = 0;
  while (pos < spec.size()) {
    while (pos < spec.size() && spec[pos] == ' ') ++pos;
    size_t end = spec.find(' ', pos);
    if (end == std::string_view::npos) end = spec.size();
    const std::string_view tok = spec.substr(pos, end - pos);
    pos = end;
    if (tok.empty()) continue;
    ++tokens;
    if (tok.find(':') != std::string_view::npos) time = tok;
    else if (tok.find('-') != std::string_view::npos || tok == "*") date = tok;
    else if (std::isalpha(static_cast<unsigned char>(tok[0]))) days = tok;
    else return fmt::format("on calendar '{}'", spec);
  }
  if (tokens == 0 || tokens > 3) return fmt::format("on calendar '{}'", spec);

  // Time: H:M[:S]; only plain numbers, '*' and '*/N' or '0/N' minute steps.
  std::string when;
  bool clock = false;
  if (time.empty()) {
    when = "at 00:00";
    clock = true;
  } else {
    const size_t c1 = time.find(':');
    const std::string_view h = time.substr(0, c1);
    std::string_view m = time.substr(c1 + 1);
    const size_t c2 = m.find(':');
    if (c2 != std::string_view::npos) m = m.substr(0, c2);
    const auto hn = number(h);
    const auto mn = number(m);
    const size_t slash = m.find('/');
    if (hn && mn) {
      when = fmt::format("at {:02}:{:02}", *hn, *mn);
      clock = true;
    } else if (h == "*" && mn) {
      when = fmt::format("hourly at minute {}", *mn);
    } else if (h == "*" && slash != std::string_view::npos && number(m.substr(slash + 1))) {
      when = fmt::format("every {} minutes", *number(m.substr(slash + 1)));
    } else if (h == "*" && m == "*") {
      when = "every minute";
    } else {
      return fmt::format("on calendar '{}'", spec);
    }
  }

  // Date: *-*-*, *-*-DD, *-MM-DD.
  std::string on;
  enum { every_day, monthly, yearly, other } date_kind = every_day;
  if (!date.empty() && date != "*-*-*" && date != "*") {
    const size_t d1 = date.find('-');
    const size_t d2 = date.find('-', d1 + 1);
    if (d1 == std::string_view::npos || d2 == std::string_view::npos) return fmt::format("on calendar '{}'", spec);
    const std::string_view y = date.substr(0, d1), mo = date.substr(d1 + 1, d2 - d1 - 1), d = date.substr(d2 + 1);
    const auto mon = number(mo);
    const auto day = number(d);
    if (y == "*" && mo == "*" && day) {
      date_kind = monthly;
      on = fmt::format("on day {}", *day);
    } else if (y == "*" && mon && day && *mon >= 1 && *mon <= 12) {
      date_kind = yearly;
      on = fmt::format("on {} {}", kMonths[*mon - 1], *day);
    } else {
      date_kind = other;
    }
  }
  if (date_kind == other) return fmt::format("on calendar '{}'", spec);

  bool single_day = false;
  const std::string day_words = days.empty() ? std::string{} : days_in_words(days, single_day);
  if (day_words.empty()) {
    if (date_kind == monthly) return fmt::format("monthly {} {}", on, when);
    if (date_kind == yearly) return fmt::format("yearly {} {}", on, when);
    return clock ? "daily " + when : when;
  }
  if (date_kind != every_day) return fmt::format("on calendar '{}'", spec);
  if (single_day && clock) return fmt::format("weekly on {} {}", day_words, when);
  return fmt::format("{}, {}", when, day_words);
}

std::string describe_timer(const UnitFile& timer) {
  std::vector<std::string> parts;
  for (const Assignment* a : timer.values("Timer", "OnCalendar")) parts.push_back(describe_calendar(a->value));
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kMonotonic{{
      {"OnBootSec", "{} after boot"},
      {"OnStartupSec", "{} after systemd starts"},
      {"OnActiveSec", "{} after the timer starts"},
      {"OnUnitActiveSec", "every {} after the unit last started"},
      {"OnUnitInactiveSec", "{} after the unit last stopped"},
  }};
  for (const auto& [key, pattern] : kMonotonic) {
    for (const Assignment* a : timer.values("Timer", key)) parts.push_back(fmt::format(fmt::runtime(pattern), a->value));
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out.empty() ? "with no trigger" : out;
}

}  // namespace pkgaudit::unit
