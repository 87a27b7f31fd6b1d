#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

// SARIF viewers and GitHub expect messages as complete sentences.
std::string sentence(std::string message) {
  message = text::to_valid_utf8(message);
  if (!message.empty() && message.back() != '.' && message.back() != '?' && message.back() != '!') message += '.';
  return message;
}

// The region's line, or for a long one (a hostile script can be megabytes
// on one line, with a finding on every command) the part around the
// region: every finding would otherwise hold the whole line.
std::string snippet_of(const text::LineIndex& lines, text::Position start, uint32_t offset, uint32_t& snippet_column) {
  constexpr size_t kWholeLine = 400;  // bytes
  constexpr uint32_t kBefore = 80;    // code points
  constexpr uint32_t kWidth = 240;
  const std::string_view line = lines.line_text(start.line);
  if (line.size() <= kWholeLine) return text::printable(line);
  const size_t at = std::min<size_t>(offset - std::min(offset, lines.line_start(start.line)), line.size());
  size_t from = at;
  size_t to = at;
  const auto back = [&] {
    --from;
    while (from > 0 && text::is_continuation_byte(line[from])) --from;
  };
  const auto forward = [&] {
    ++to;
    while (to < line.size() && text::is_continuation_byte(line[to])) ++to;
  };
  uint32_t taken = 0;
  for (; from > 0 && taken < kBefore; ++taken) back();
  for (; to < line.size() && taken < kWidth; ++taken) forward();
  for (; from > 0 && taken < kWidth; ++taken) back();  // near the end: more before
  uint32_t before = 0;  // as LineIndex counts columns
  for (size_t i = from; i < at; ++i) before += !text::is_continuation_byte(line[i]);
  snippet_column = start.column - std::min(before, start.column - 1);
  std::string out = snippet_column > 1 ? "\u2026" : "";
  out += text::printable(line.substr(from, to - from));
  if (to < line.size()) out += "\u2026";
  return out;
}

}  // namespace

Location locate(const model::File& file, shell::Span span) {
  Location loc;
  loc.path = file.path;
  if (!file.lines) {
    loc.line = 1;
    return loc;
  }
  const text::Position start = file.lines->position(span.begin);
  const text::Position end = file.lines->position(std::max(span.begin, span.end));
  loc.line = start.line;
  loc.column = start.column;
  loc.end_line = end.line;
  loc.end_column = end.column;
  loc.snippet = snippet_of(*file.lines, start, span.begin, loc.snippet_column);
  return loc;
}

void FindingSink::report(const model::File& file, shell::Span span, std::string message) {
  Finding f;
  f.rule_id = std::string(rule_.id);
  f.level = rule_.level;
  f.message = sentence(std::move(message));
  f.location = locate(file, span);
  // GitHub code scanning shows 100 locations of a result and rejects a log
  // with more than 1,000; a script run from thousands of cron lines, each
  // of its findings listing them all, made a 200 KB package a 600 MB log.
  constexpr size_t kMaxRuns = 100;
  const std::vector<model::RunContext>& runs = package_.contexts_of(file);
  for (size_t i = 0; i < runs.size() && i < kMaxRuns; ++i) {
    f.related.push_back({locate(*runs[i].by, runs[i].span), sentence(runs[i].description)});
  }
  if (runs.size() > kMaxRuns) {
    f.message += fmt::format(" The script is run from {} places; the first {} are listed.", runs.size(), kMaxRuns);
  }
  out_.push_back(std::move(f));
}

void FindingSink::report_file(const model::File& file, std::string message, std::optional<Level> level) {
  Finding f;
  f.rule_id = std::string(rule_.id);
  f.level = level.value_or(rule_.level);
  f.message = sentence(std::move(message));
  f.location.path = file.path;
  f.location.line = 1;  // the file as a whole: a region of its first line
  out_.push_back(std::move(f));
}

void FindingSink::report_package(std::string message, std::optional<Level> level) {
  Finding f;
  f.rule_id = std::string(rule_.id);
  f.level = level.value_or(rule_.level);
  f.message = sentence(std::move(message));
  if (package_.is_archive) {
    // The archive's own name, as the SARIF artifact for it is named.
    f.location.path = std::filesystem::path(package_.display_name).filename().string();
  } else {
    f.location.path.assign(1, '.');  // the package directory itself (GCC 12 warns falsely on = ".")
  }
  f.location.line = 1;  // viewers and GitHub want a region, even for the package as a whole
  out_.push_back(std::move(f));
}

void FindingSink::report_line(const model::File& file, uint32_t line, std::string message) {
  if (!file.lines || line == 0 || line > file.lines->line_count()) {
    report_file(file, std::move(message));
    return;
  }
  const uint32_t begin = file.lines->line_start(line);
  report(file, {begin, begin + static_cast<uint32_t>(file.lines->line_text(line).size())}, std::move(message));
}

void FindingSink::relate(const model::File& file, shell::Span span, std::string message) {
  if (out_.empty()) return;
  out_.back().related.push_back({locate(file, span), sentence(std::move(message))});
}

}  // namespace pkgaudit::rules
