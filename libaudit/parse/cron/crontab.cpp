#include "parse/cron/crontab.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "parse/shell/shell_parser.hpp"
#include "text/ascii.hpp"

namespace pkgaudit::cron {
namespace {

std::string lower(std::string_view s) { return text::ascii_lower(s); }

struct FieldSpec {
  const char* name;
  uint32_t min;
  uint32_t max;
};
constexpr std::array<FieldSpec, 5> kSpecs{{
    {"minute", 0, 59},
    {"hour", 0, 23},
    {"day of month", 1, 31},
    {"month", 1, 12},
    {"day of week", 0, 7},
}};

constexpr std::array<std::string_view, 12> kMonthAbbrev{"jan", "feb", "mar", "apr", "may", "jun",
                                                        "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayAbbrev{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<std::string_view, 12> kMonthNames{"January", "February", "March",     "April",   "May",      "June",
                                                       "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDayNames{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                    "Thursday", "Friday", "Saturday"};


bool is_blank(char c) { return c == ' ' || c == '\t'; }

// A value: a number, or a month/day name where the field has names.
std::optional<uint32_t> parse_value(std::string_view text, FieldIndex index, std::string& error) {
  if (text.empty()) {
    error = "empty value";
    return std::nullopt;
  }
  if (text[0] >= '0' && text[0] <= '9') {
    uint32_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      error = fmt::format("'{}' is not a number", text);
      return std::nullopt;
    }
    const FieldSpec& spec = kSpecs[index];
    if (n < spec.min || n > spec.max) {
      error = fmt::format("{} {} is out of range {}-{}", spec.name, n, spec.min, spec.max);
      return std::nullopt;
    }
    return n;
  }
  const std::string name = lower(text);
  if (index == month) {
    for (size_t i = 0; i < kMonthAbbrev.size(); ++i) {
      if (name == kMonthAbbrev[i]) return static_cast<uint32_t>(i + 1);
    }
  } else if (index == day_of_week) {
    for (size_t i = 0; i < kDayAbbrev.size(); ++i) {
      if (name == kDayAbbrev[i]) return static_cast<uint32_t>(i);
    }
  }
  error = index == month || index == day_of_week
              ? fmt::format("'{}' is not a {} name cron knows (use the first three letters, e.g. {})", text,
                            kSpecs[index].name, index == month ? "jan" : "mon")
              : fmt::format("'{}' is not a number", text);
  return std::nullopt;
}

// Parses one field; returns false with `error` set when cron would reject
// it, and sets `warning` when cron accepts it but reads it differently.
bool parse_field(std::string_view text, FieldIndex index, Field& field, std::string& error, std::string& warning) {
  field.text = std::string(text);
  field.items.clear();
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t comma = text.find(',', pos);
    const std::string_view item = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (item.empty()) {
      error = fmt::format("empty item in {} field '{}'", kSpecs[index].name, text);
      return false;
    }
    FieldItem parsed;
    std::string_view range = item;
    const size_t slash = item.find('/');
    bool has_step = false;
    if (slash != std::string_view::npos) {
      range = item.substr(0, slash);
      const std::string_view step = item.substr(slash + 1);
      uint32_t n = 0;
      auto [ptr, ec] = std::from_chars(step.data(), step.data() + step.size(), n);
      if (step.empty() || ec != std::errc() || ptr != step.data() + step.size() || n == 0) {
        error = fmt::format("step '{}' in {} field '{}' is not a positive number", step, kSpecs[index].name, text);
        return false;
      }
      parsed.step = n;
      has_step = true;
    }
    if (range == "*") {
      parsed.star = true;
      parsed.low = kSpecs[index].min;
      parsed.high = index == day_of_week ? 6 : kSpecs[index].max;
    } else {
      const size_t dash = range.find('-');
      const auto low = parse_value(range.substr(0, dash), index, error);
      if (!low) return false;
      parsed.low = *low;
      parsed.high = *low;
      if (dash != std::string_view::npos) {
        const auto high = parse_value(range.substr(dash + 1), index, error);
        if (!high) return false;
        parsed.high = *high;
        if (parsed.high < parsed.low) {
          error = fmt::format("range {} in {} field runs backwards", range, kSpecs[index].name);
          return false;
        }
      } else if (has_step) {
        // Vixie cron takes `5/15` as just 5: the step applies to nothing.
        warning = fmt::format("'{}' in the {} field means only {}: a step needs a range or '*' (write '{}-{}/{}' or '*/{}')",
                              item, kSpecs[index].name, parsed.low, parsed.low, kSpecs[index].max, parsed.step,
                              parsed.step);
      }
      if (index == day_of_week) {
        if (parsed.low == 7) parsed.low = 0;
        if (parsed.high == 7 && parsed.low == 0 && dash == std::string_view::npos) parsed.high = 0;
      }
    }
    field.items.push_back(parsed);
  }
  return true;
}

std::string two(uint32_t n) { return fmt::format("{:02}", n); }

std::string join_words(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

std::string_view day_name(uint32_t d) { return kDayNames[d % 7]; }
std::string_view month_name(uint32_t m) { return kMonthNames[(m + 11) % 12]; }

// Items of a day/month field in words: "Monday–Friday", "January and June".
std::string items_in_words(const Field& f, FieldIndex index) {
  std::vector<std::string> parts;
  for (const FieldItem& it : f.items) {
    auto name = [&](uint32_t v) {
      return std::string(index == day_of_week ? day_name(v) : index == month ? month_name(v) : std::to_string(v));
    };
    std::string part = it.low == it.high ? name(it.low) : name(it.low) + "\u2013" + name(it.high);
    if (it.star) part = index == day_of_week ? "every day" : "every month";
    if (it.step > 1) part = fmt::format("every {} {}s{}", it.step, kSpecs[index].name, it.star ? "" : " from " + part);
    parts.push_back(part);
  }
  return join_words(parts);
}

std::string numbers_in_words(const Field& f) {
  std::vector<std::string> parts;
  for (const FieldItem& it : f.items) {
    std::string part = it.low == it.high ? std::to_string(it.low) : fmt::format("{}\u2013{}", it.low, it.high);
    if (it.step > 1) part = it.star ? fmt::format("every {}", it.step) : fmt::format("every {} from {}", it.step, part);
    parts.push_back(part);
  }
  return join_words(parts);
}

bool all_single_values(const Field& f) {
  return std::all_of(f.items.begin(), f.items.end(), [](const FieldItem& i) { return !i.star && i.low == i.high; });
}

}  // namespace

std::string describe_schedule(const Entry& e) {
  if (e.macro == "@reboot") return "at boot";
  const Field& m = e.fields[minute];
  const Field& h = e.fields[hour];
  const Field& dom = e.fields[day_of_month];
  const Field& mon = e.fields[month];
  const Field& dow = e.fields[day_of_week];
  const bool days_any = dom.any() && mon.any() && dow.any();

  std::string time;
  bool clock_times = false;  // "at 03:00": can read as "daily at 03:00"
  if (m.any() && h.any()) {
    time = "every minute";
  } else if (m.items.size() == 1 && m.items[0].star && m.items[0].step > 1) {
    time = fmt::format("every {} minutes", m.items[0].step);
  } else if (m.any()) {
    time = "every minute";
  } else if (all_single_values(m) && all_single_values(h)) {
    std::vector<std::string> times;
    for (const FieldItem& hi : h.items) {
      for (const FieldItem& mi : m.items) times.push_back(two(hi.low) + ":" + two(mi.low));
    }
    time = "at " + join_words(times);
    clock_times = true;
  } else if (m.single() && h.any()) {
    time = fmt::format("hourly at minute {}", m.items[0].low);
  } else if (m.single() && h.items.size() == 1 && h.items[0].star) {
    time = fmt::format("every {} hours at minute {}", h.items[0].step, m.items[0].low);
  } else {
    time = fmt::format("at minute {}", numbers_in_words(m));
  }

  // The hour restriction when the time is not already a clock time.
  std::string hours;
  if (!clock_times && !h.any() && !(h.items.size() == 1 && h.items[0].star)) {
    std::vector<std::string> parts;
    for (const FieldItem& it : h.items) {
      if (it.low == it.high) parts.push_back(two(it.low) + ":00\u2013" + two(it.low) + ":59");
      else parts.push_back(two(it.low) + ":00\u2013" + two(it.high) + ":59");
      if (it.step > 1) parts.back() = fmt::format("every {} hours from {}:00 to {}:59", it.step, two(it.low), two(it.high));
    }
    hours = join_words(parts);
  }

  std::string out;
  if (clock_times && days_any) {
    out = "daily " + time;
  } else if (clock_times && dow.single() && dom.any() && mon.any()) {
    out = fmt::format("weekly on {} {}", day_name(dow.items[0].low), time);
  } else if (clock_times && dom.single() && dow.any() && mon.any()) {
    out = fmt::format("monthly on day {} {}", dom.items[0].low, time);
  } else if (clock_times && dom.single() && mon.single() && dow.any()) {
    out = fmt::format("yearly on {} {} {}", month_name(mon.items[0].low), dom.items[0].low, time);
  } else {
    out = time;
    if (!hours.empty()) out += ", " + hours;
    if (!dom.any() && !dow.any()) {
      // cron runs when either matches, not both.
      out += fmt::format(", on day {} of the month or on {}", numbers_in_words(dom), items_in_words(dow, day_of_week));
    } else if (!dow.any()) {
      out += ", " + items_in_words(dow, day_of_week);
    } else if (!dom.any()) {
      out += fmt::format(", on day {} of the month", numbers_in_words(dom));
    }
    if (!mon.any()) out += ", " + items_in_words(mon, month);
  }
  return out;
}

bool is_system_crontab_path(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::string_view dir = slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
  const std::string_view parent = dir.substr(dir.rfind('/') == std::string_view::npos ? 0 : dir.rfind('/') + 1);
  return parent == "cron.d" || (base == "crontab" && parent == "etc");
}

namespace {

struct Token {
  std::string_view text;
  uint32_t begin;
};

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kMacros{{
    {"@reboot", ""},
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
}};

class Parser {
 public:
  Parser(std::string_view text, std::string_view path, const Limits& limits) : text_(text), path_(path), limits_(limits) {
    out_.system_format = is_system_crontab_path(path);
  }

  Crontab run() {
    check_file_name();
    uint32_t line_no = 0;
    size_t pos = 0;
    while (pos < text_.size()) {
      const size_t eol = text_.find('\n', pos);
      const bool terminated = eol != std::string_view::npos;
      size_t end = terminated ? eol : text_.size();
      ++line_no;
      std::string_view line = text_.substr(pos, end - pos);
      if (line.ends_with('\r')) line.remove_suffix(1);
      const auto begin = static_cast<uint32_t>(pos);
      const size_t entries_before = out_.entries.size();
      parse_line(line, begin, line_no);
      if (!terminated && out_.entries.size() > entries_before) {
        problem({begin, static_cast<uint32_t>(end)},
                "the last line has no newline at the end: cron ignores it (or rejects the whole file)");
      }
      pos = terminated ? eol + 1 : text_.size();
    }
    return std::move(out_);
  }

 private:
  void problem(shell::Span span, std::string message) { out_.problems.push_back({span, std::move(message)}); }

  // run-parts naming: cron skips files in /etc/cron.d with dots and the like.
  void check_file_name() {
    if (!out_.system_format) return;
    const size_t slash = path_.rfind('/');
    const std::string_view base = slash == std::string_view::npos ? path_ : path_.substr(slash + 1);
    if (base == "crontab") return;
    const bool valid = !base.empty() && std::all_of(base.begin(), base.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!valid) {
      const size_t eol = text_.find('\n');
      problem({0, static_cast<uint32_t>(eol == std::string_view::npos ? text_.size() : eol)},
              fmt::format("cron ignores '{}' in /etc/cron.d: file names there may only hold letters, digits, '_' "
                          "and '-' (run-parts naming), so none of its jobs run",
                          base));
    }
  }

  static std::vector<Token> tokens(std::string_view line, uint32_t begin, size_t max) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < line.size() && out.size() < max) {
      while (i < line.size() && is_blank(line[i])) ++i;
      if (i >= line.size()) break;
      const size_t start = i;
      while (i < line.size() && !is_blank(line[i])) ++i;
      out.push_back({line.substr(start, i - start), begin + static_cast<uint32_t>(start)});
    }
    return out;
  }

  static bool looks_like_env(std::string_view line) {
    size_t i = 0;
    if (i >= line.size() || !(std::isalpha(static_cast<unsigned char>(line[i])) || line[i] == '_')) return false;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
    while (i < line.size() && is_blank(line[i])) ++i;
    return i < line.size() && line[i] == '=';
  }

  void parse_line(std::string_view raw, uint32_t begin, uint32_t line_no) {
    size_t indent = 0;
    while (indent < raw.size() && is_blank(raw[indent])) ++indent;
    const std::string_view line = raw.substr(indent);
    const uint32_t at = begin + static_cast<uint32_t>(indent);
    if (line.empty() || line.starts_with('#')) return;
    if (looks_like_env(line)) {
      const size_t eq = line.find('=');
      std::string_view name = line.substr(0, eq);
      while (!name.empty() && is_blank(name.back())) name.remove_suffix(1);
      std::string_view value = line.substr(eq + 1);
      while (!value.empty() && is_blank(value.front())) value.remove_prefix(1);
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      out_.environment.push_back({std::string(name), std::string(value), line_no});
      return;
    }
    const shell::Span line_span{at, begin + static_cast<uint32_t>(raw.size())};
    Entry entry;
    entry.line = line_no;
    entry.line_span = line_span;
    const bool macro = line.starts_with('@');
    const size_t schedule_tokens = macro ? 1 : 5;
    const size_t wanted = schedule_tokens + (out_.system_format ? 1 : 0);
    const std::vector<Token> toks = tokens(line, at, wanted + 1);
    if (!macro && !(line[0] == '*' || (line[0] >= '0' && line[0] <= '9'))) {
      problem(line_span, "not a cron entry, an environment setting or a comment: cron rejects this line");
      return;
    }
    if (toks.size() < wanted + 1) {
      // `0 3 * * * /opt/x.sh` in a system crontab: the path sits where the user goes.
      if (out_.system_format && toks.size() == wanted && toks.back().text.find('/') != std::string_view::npos) {
        const Token& t = toks.back();
        problem({t.begin, t.begin + static_cast<uint32_t>(t.text.size())},
                fmt::format("missing user field: in a system crontab cron takes '{}' as the user to run as, and the "
                            "job never runs",
                            t.text));
        return;
      }
      problem(line_span, out_.system_format
                             ? "incomplete entry: a system crontab line needs a schedule, a user and a command"
                             : "incomplete entry: a crontab line needs a schedule and a command");
      return;
    }
    bool valid = true;
    if (macro) {
      const std::string name = lower(toks[0].text);
      const auto it = std::find_if(kMacros.begin(), kMacros.end(), [&](const auto& m) { return m.first == name; });
      entry.schedule_span = {toks[0].begin, toks[0].begin + static_cast<uint32_t>(toks[0].text.size())};
      if (it == kMacros.end()) {
        problem(entry.schedule_span,
                fmt::format("unknown schedule '{}': cron knows @reboot, @yearly, @annually, @monthly, @weekly, "
                            "@daily, @midnight and @hourly",
                            toks[0].text));
        return;
      }
      entry.macro = name;
      if (!it->second.empty()) {
        std::vector<std::string> ignored;
        const auto expanded = parse_schedule(it->second, ignored);
        entry.fields = expanded->fields;
      }
    } else {
      for (size_t i = 0; i < 5; ++i) {
        Field& f = entry.fields[i];
        f.span = {toks[i].begin, toks[i].begin + static_cast<uint32_t>(toks[i].text.size())};
        std::string error, warning;
        if (!parse_field(toks[i].text, static_cast<FieldIndex>(i), f, error, warning)) {
          problem(f.span, error + ": cron rejects this line");
          valid = false;
        } else if (!warning.empty()) {
          problem(f.span, warning);
        }
      }
      entry.schedule_span = {toks[0].begin, entry.fields[4].span.end};
    }
    size_t command_token = schedule_tokens;
    if (out_.system_format) {
      const Token& user = toks[schedule_tokens];
      entry.user = std::string(user.text);
      entry.user_span = {user.begin, user.begin + static_cast<uint32_t>(user.text.size())};
      if (user.text.find('/') != std::string_view::npos || user.text.find('$') != std::string_view::npos) {
        problem(entry.user_span,
                fmt::format("missing user field: in a system crontab cron takes '{}' as the user to run as, and "
                            "the job never runs",
                            user.text));
        valid = false;
      }
      ++command_token;
    } else if (toks.size() > command_token + 0) {
      // A system-format line in a user crontab: cron runs the user name.
      static constexpr std::array<std::string_view, 6> kUsers{"root", "www-data", "postgres", "nobody", "daemon",
                                                              "dten"};
      const Token& first = toks[command_token];
      const size_t after = line.find_first_not_of(" \t", first.begin - at + first.text.size());
      if (std::find(kUsers.begin(), kUsers.end(), first.text) != kUsers.end() && after != std::string_view::npos &&
          line[after] == '/') {
        problem({first.begin, first.begin + static_cast<uint32_t>(first.text.size())},
                fmt::format("this looks like a system crontab line in a user crontab: cron runs '{}' as the "
                            "command, not as the user",
                            first.text));
      }
    }
    if (!valid) return;
    const uint32_t command_begin = toks[command_token].begin;
    split_command(entry, raw.substr(command_begin - begin), command_begin);
    entry.schedule = describe_schedule(entry);
    out_.entries.push_back(std::move(entry));
  }

  // cron turns unescaped % into newlines: the first ends the command and the
  // rest is standard input. `\%` is a literal %.
  void split_command(Entry& entry, std::string_view command, uint32_t begin) {
    std::string text;
    std::vector<uint32_t> offsets;
    size_t i = 0;
    bool cut = false;
    for (; i < command.size(); ++i) {
      if (command[i] == '\\' && i + 1 < command.size() && command[i + 1] == '%') {
        text += '%';
        offsets.push_back(begin + static_cast<uint32_t>(i + 1));
        ++i;
        continue;
      }
      if (command[i] == '%') {
        cut = true;
        break;
      }
      text += command[i];
      offsets.push_back(begin + static_cast<uint32_t>(i));
    }
    offsets.push_back(begin + static_cast<uint32_t>(i));
    if (cut) {
      const auto at = begin + static_cast<uint32_t>(i);
      problem({at, at + 1},
              "unescaped '%': cron ends the command here and feeds the rest to standard input; write '\\%' "
              "for a literal percent sign (as in date +\\%F)");
      for (size_t k = i + 1; k < command.size(); ++k) entry.input += command[k] == '%' ? '\n' : command[k];
    }
    entry.command = text;
    entry.command_span = {begin, begin + static_cast<uint32_t>(i)};
    entry.shell = shell::parse_shell_mapped(entry.command, offsets, limits_);
    entry.command_offsets = shell::OffsetMap(offsets);
  }

  std::string_view text_;
  std::string_view path_;
  const Limits& limits_;
  Crontab out_;
};

}  // namespace

Crontab parse_crontab(std::string_view text, std::string_view path, const Limits& limits) {
  return Parser(text, path, limits).run();
}

std::optional<Entry> parse_schedule(std::string_view schedule, std::vector<std::string>& problems) {
  Entry entry;
  if (schedule.starts_with('@')) {
    const std::string name = lower(schedule);
    const auto it = std::find_if(kMacros.begin(), kMacros.end(), [&](const auto& m) { return m.first == name; });
    if (it == kMacros.end()) {
      problems.push_back(fmt::format("unknown schedule '{}'", schedule));
      return std::nullopt;
    }
    if (!it->second.empty()) {
      auto expanded = parse_schedule(it->second, problems);
      if (!expanded) return std::nullopt;
      entry.fields = expanded->fields;
    }
    entry.macro = name;
    entry.schedule = describe_schedule(entry);
    return entry;
  }
  size_t i = 0;
  size_t pos = 0;
  while (i < 5) {
    while (pos < schedule.size() && is_blank(schedule[pos])) ++pos;
    if (pos >= schedule.size()) break;
    size_t end = pos;
    while (end < schedule.size() && !is_blank(schedule[end])) ++end;
    std::string error, warning;
    if (!parse_field(schedule.substr(pos, end - pos), static_cast<FieldIndex>(i), entry.fields[i], error, warning)) {
      problems.push_back(error);
      return std::nullopt;
    }
    if (!warning.empty()) problems.push_back(warning);
    pos = end;
    ++i;
  }
  if (i < 5) {
    problems.push_back("fewer than five fields");
    return std::nullopt;
  }
  entry.schedule = describe_schedule(entry);
  return entry;
}

}  // namespace pkgaudit::cron
