#include <algorithm>
#include <filesystem>

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
  loc.snippet = text::printable(file.lines->line_text(start.line));
  return loc;
}

void FindingSink::report(const model::File& file, shell::Span span, std::string message) {
  Finding f;
  f.rule_id = std::string(rule_.id);
  f.level = rule_.level;
  f.message = sentence(std::move(message));
  f.location = locate(file, span);
  for (const model::RunContext& context : package_.contexts_of(file)) {
    f.related.push_back({locate(*context.by, context.span), sentence(context.description)});
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
