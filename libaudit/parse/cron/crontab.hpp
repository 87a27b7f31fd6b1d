// Crontabs as cron reads them: system format (/etc/cron.d, /etc/crontab:
// five fields, a user, a command) and user format (no user), environment
// lines, @macros, every schedule field parsed and validated, `%` in the
// command, and the command parsed as shell with positions in the crontab.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/shell/shell_model.hpp"
#include "pkgaudit/options.hpp"

namespace pkgaudit::cron {

enum FieldIndex { minute = 0, hour, day_of_month, month, day_of_week };

// One comma-separated item: `*`, `*/15`, `5`, `1-30/5`, `mon-fri`.
struct FieldItem {
  uint32_t low = 0;
  uint32_t high = 0;
  uint32_t step = 1;
  bool star = false;
};

struct Field {
  std::string text;
  shell::Span span;
  std::vector<FieldItem> items;
  bool any() const { return items.size() == 1 && items[0].star && items[0].step == 1; }
  bool single() const { return items.size() == 1 && !items[0].star && items[0].low == items[0].high; }
};

struct Problem {
  shell::Span span;
  std::string message;
};

struct Entry {
  uint32_t line = 0;
  shell::Span line_span;
  shell::Span schedule_span;   // the five fields, or the macro
  std::string macro;           // "@daily", empty for five fields
  std::array<Field, 5> fields;
  std::string user;            // system format only
  shell::Span user_span;
  std::string command;         // what cron hands to the shell (up to the first unescaped %)
  shell::Span command_span;
  shell::OffsetMap command_offsets;  // file offset of each byte of `command` (`\%` is one byte), plus the end
  std::string input;           // after the first unescaped %: standard input, with % as newlines
  std::optional<shell::ShellScript> shell;
  std::string schedule;        // in words: "daily at 03:00", "at boot"
};

struct EnvAssignment {
  std::string name;
  std::string value;
  uint32_t line = 0;
};

struct Crontab {
  bool system_format = false;
  std::vector<Entry> entries;
  std::vector<EnvAssignment> environment;
  std::vector<Problem> problems;  // lines cron would reject or misread
};

// System format for /etc/crontab and files in a cron.d directory.
bool is_system_crontab_path(std::string_view path);

Crontab parse_crontab(std::string_view text, std::string_view path, const Limits& limits);

// "daily at 03:00", "every 15 minutes, 01:00–05:59, Monday–Friday".
std::string describe_schedule(const Entry& entry);

// Parses one schedule ("0 3 * * *" or "@daily") into an Entry's fields and
// words, for tests and tools; problems are appended.
std::optional<Entry> parse_schedule(std::string_view schedule, std::vector<std::string>& problems);

}  // namespace pkgaudit::cron
