#include "expectations.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace pkgaudit::testing {
namespace {

bool parse_uint(std::string_view s, uint32_t& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool is_rule_id(std::string_view s) {
  return s.size() >= 2 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

}  // namespace

std::vector<Expected> parse_expectations(std::string_view text, std::vector<std::string>& errors) {
  std::vector<Expected> out;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t eol = text.find('\n', pos);
    const std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    ++line_no;
    pos = eol == std::string_view::npos ? text.size() + 1 : eol + 1;

    const size_t marker = line.find("expect");
    if (marker == std::string_view::npos) continue;
    // Only inside a comment: `#`, `--` or `;` before the marker.
    const std::string_view before = line.substr(0, marker);
    if (before.find('#') == std::string_view::npos && before.find("--") == std::string_view::npos &&
        before.find(';') == std::string_view::npos) {
      continue;
    }
    std::string_view rest = line.substr(marker + 6);
    int64_t offset = 0;
    if (rest.starts_with('@')) {
      const size_t colon = rest.find(':');
      std::string_view num = rest.substr(1, colon == std::string_view::npos ? 0 : colon - 1);
      const bool negative = num.starts_with('-');
      if (num.starts_with('+') || num.starts_with('-')) num.remove_prefix(1);
      uint32_t n = 0;
      if (colon == std::string_view::npos || !parse_uint(num, n)) {
        errors.push_back(fmt::format("line {}: malformed expect@ offset", line_no));
        continue;
      }
      offset = negative ? -static_cast<int64_t>(n) : n;
      rest = rest.substr(colon);
    }
    if (!rest.starts_with(':')) continue;  // the word "expect" in prose
    rest.remove_prefix(1);
    bool any = false;
    while (!rest.empty()) {
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == ',' || rest.front() == '\t')) rest.remove_prefix(1);
      if (rest.empty()) break;
      size_t end = rest.find_first_of(" ,\t");
      const std::string_view token = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
      Expected e;
      const size_t colon = token.find(':');
      e.rule = std::string(token.substr(0, colon));
      if (!is_rule_id(e.rule) ||
          (colon != std::string_view::npos && !parse_uint(token.substr(colon + 1), e.column))) {
        if (any) break;  // trailing prose after the ids
        errors.push_back(fmt::format("line {}: malformed expectation '{}'", line_no, token));
        break;
      }
      const int64_t target = static_cast<int64_t>(line_no) + offset;
      if (target < 1) {
        errors.push_back(fmt::format("line {}: expectation points before the file", line_no));
        break;
      }
      e.line = static_cast<uint32_t>(target);
      out.push_back(std::move(e));
      any = true;
    }
    if (!any && (errors.empty() || !errors.back().starts_with(fmt::format("line {}:", line_no)))) {
      errors.push_back(fmt::format("line {}: expect marker with no rule id", line_no));
    }
  }
  return out;
}

std::vector<std::string> compare_findings(const std::vector<Expected>& expected, const std::vector<Finding>& actual) {
  std::vector<std::string> problems;
  std::vector<bool> used(actual.size(), false);
  for (const Expected& e : expected) {
    bool found = false;
    for (size_t i = 0; i < actual.size(); ++i) {
      const Finding& f = actual[i];
      if (used[i] || f.rule_id != e.rule || f.location.line != e.line) continue;
      if (e.column && f.location.column != e.column) continue;
      used[i] = true;
      found = true;
      break;
    }
    if (!found) {
      problems.push_back(e.column ? fmt::format("missing {} at {}:{}", e.rule, e.line, e.column)
                                  : fmt::format("missing {} at line {}", e.rule, e.line));
    }
  }
  for (size_t i = 0; i < actual.size(); ++i) {
    if (used[i]) continue;
    const Finding& f = actual[i];
    problems.push_back(fmt::format("unexpected {} at {}:{}: {}", f.rule_id, f.location.line, f.location.column,
                                   f.message));
  }
  return problems;
}

}  // namespace pkgaudit::testing
