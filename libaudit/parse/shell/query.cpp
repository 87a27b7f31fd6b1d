#include "parse/shell/query.hpp"

#include <regex.h>
#include <tree_sitter/api.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "parse/shell/shell_parser.hpp"
#include "text/utf8.hpp"

extern "C" const TSLanguage* tree_sitter_bash(void);

namespace pkgaudit::shell {
namespace {

using Clock = std::chrono::steady_clock;

// #match? runs POSIX extended regexes (no recursion, so no stack to
// exhaust) over at most this much of a node's text.
constexpr size_t kMaxMatchText = 64 * 1024;

struct Regex {
  regex_t re{};
  bool ok = false;
  Regex() = default;
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  ~Regex() {
    if (ok) regfree(&re);
  }
};

enum class Op { eq, match, any_of };

struct Predicate {
  Op op = Op::eq;
  bool negated = false;
  uint32_t capture = 0;
  bool other_is_capture = false;  // #eq? @a @b
  uint32_t other_capture = 0;
  std::vector<std::string> strings;
  std::shared_ptr<Regex> regex;
};

QueryError error_at(std::string_view source, uint32_t offset, std::string message) {
  QueryError e;
  e.message = std::move(message);
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(source.size()));
  for (uint32_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++e.line;
      e.column = 1;
    } else {
      ++e.column;
    }
  }
  return e;
}

std::string word_at(std::string_view source, uint32_t offset) {
  size_t end = offset;
  while (end < source.size() && (std::isalnum(static_cast<unsigned char>(source[end])) || source[end] == '_' ||
                                 source[end] == '-' || source[end] == '.')) {
    ++end;
  }
  return text::printable(source.substr(std::min<size_t>(offset, source.size()), end - std::min<size_t>(offset, end)));
}

struct CursorDeadline {
  Clock::time_point deadline;
  bool expired = false;
};

bool cursor_progress(TSQueryCursorState* state) {
  auto* d = static_cast<CursorDeadline*>(state->payload);
  if (Clock::now() >= d->deadline) d->expired = true;
  return d->expired;
}

}  // namespace

struct ShellQuery::Compiled {
  TSQuery* query = nullptr;
  std::vector<std::vector<Predicate>> predicates;  // per pattern
  ~Compiled() {
    if (query) ts_query_delete(query);
  }
};

std::variant<ShellQuery, QueryError> ShellQuery::compile(std::string_view source) {
  uint32_t error_offset = 0;
  TSQueryError error_type = TSQueryErrorNone;
  auto compiled = std::make_shared<Compiled>();
  compiled->query = ts_query_new(tree_sitter_bash(), source.data(), static_cast<uint32_t>(source.size()), &error_offset,
                                 &error_type);
  if (!compiled->query) {
    std::string what;
    switch (error_type) {
      case TSQueryErrorNodeType: what = fmt::format("unknown node type '{}' in the bash grammar", word_at(source, error_offset)); break;
      case TSQueryErrorField: what = fmt::format("unknown field '{}' in the bash grammar", word_at(source, error_offset)); break;
      case TSQueryErrorCapture: what = fmt::format("unknown capture '{}'", word_at(source, error_offset)); break;
      case TSQueryErrorStructure: what = "a pattern the bash grammar can never produce"; break;
      default: what = "syntax error"; break;
    }
    return error_at(source, error_offset, what);
  }
  ShellQuery out;
  TSQuery* q = compiled->query;
  for (uint32_t i = 0; i < ts_query_capture_count(q); ++i) {
    uint32_t length = 0;
    const char* name = ts_query_capture_name_for_id(q, i, &length);
    out.names_.emplace_back(name, length);
  }
  auto string_of = [&](uint32_t id) {
    uint32_t length = 0;
    const char* s = ts_query_string_value_for_id(q, id, &length);
    return std::string(s, length);
  };
  for (uint32_t p = 0; p < ts_query_pattern_count(q); ++p) {
    const uint32_t pattern_start = ts_query_start_byte_for_pattern(q, p);
    uint32_t count = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(q, p, &count);
    std::vector<Predicate>& predicates = compiled->predicates.emplace_back();
    for (uint32_t i = 0; i < count;) {
      uint32_t end = i;
      while (end < count && steps[end].type != TSQueryPredicateStepTypeDone) ++end;
      if (end == i || steps[i].type != TSQueryPredicateStepTypeString) {
        return error_at(source, pattern_start, "a predicate must start with its name, as in (#eq? @name \"text\")");
      }
      const std::string name = string_of(steps[i].value_id);
      Predicate pred;
      std::string_view base = name;
      if (base.starts_with("not-")) {
        pred.negated = true;
        base.remove_prefix(4);
      }
      if (base == "eq?") pred.op = Op::eq;
      else if (base == "match?") pred.op = Op::match;
      else if (base == "any-of?") pred.op = Op::any_of;
      else {
        return error_at(source, pattern_start,
                        fmt::format("unsupported predicate #{}; pkgaudit evaluates #eq?, #match?, #any-of? and their #not- forms",
                                    text::printable(name)));
      }
      const uint32_t args = end - i - 1;
      const TSQueryPredicateStep* arg = steps + i + 1;
      if (args < 2 || arg[0].type != TSQueryPredicateStepTypeCapture || (pred.op != Op::any_of && args != 2)) {
        return error_at(source, pattern_start,
                        fmt::format("#{} takes a capture and {}", name,
                                    pred.op == Op::any_of ? "one or more strings"
                                    : pred.op == Op::eq   ? "a string or another capture"
                                                          : "a regular expression string"));
      }
      pred.capture = arg[0].value_id;
      for (uint32_t k = 1; k < args; ++k) {
        if (arg[k].type == TSQueryPredicateStepTypeCapture) {
          if (pred.op != Op::eq) return error_at(source, pattern_start, fmt::format("#{} compares with strings, not captures", name));
          pred.other_is_capture = true;
          pred.other_capture = arg[k].value_id;
        } else {
          pred.strings.push_back(string_of(arg[k].value_id));
        }
      }
      if (pred.op == Op::match) {
        pred.regex = std::make_shared<Regex>();
        const int rc = regcomp(&pred.regex->re, pred.strings[0].c_str(), REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
          char buf[256];
          regerror(rc, &pred.regex->re, buf, sizeof buf);
          return error_at(source, pattern_start,
                          fmt::format("#{}: invalid regular expression '{}': {}", name, text::printable(pred.strings[0]), buf));
        }
        pred.regex->ok = true;
      }
      predicates.push_back(std::move(pred));
      i = end + 1;
    }
  }
  out.compiled_ = std::move(compiled);
  return out;
}

bool ShellQuery::run(std::string_view text, const std::vector<uint32_t>& offsets, const Limits& limits,
                     std::vector<QueryMatch>& out) const {
  const auto start = Clock::now();
  const std::shared_ptr<TSTree> tree = parse_tree(text, limits);
  if (!tree) return false;
  const Compiled& c = *compiled_;
  const std::unique_ptr<TSQueryCursor, void (*)(TSQueryCursor*)> owned(ts_query_cursor_new(), ts_query_cursor_delete);
  TSQueryCursor* cursor = owned.get();
  CursorDeadline deadline{start + std::chrono::milliseconds(limits.parse_milliseconds)};
  TSQueryCursorOptions options{};
  options.payload = &deadline;
  options.progress_callback = cursor_progress;
  ts_query_cursor_exec_with_options(cursor, c.query, ts_tree_root_node(tree.get()), &options);
  auto source_of = [&](TSNode n) {
    const uint32_t b = std::min<uint32_t>(ts_node_start_byte(n), static_cast<uint32_t>(text.size()));
    const uint32_t e = std::min<uint32_t>(ts_node_end_byte(n), static_cast<uint32_t>(text.size()));
    return text.substr(b, e > b ? e - b : 0);
  };
  auto at = [&](uint32_t i) {
    if (offsets.empty()) return i;
    return offsets[std::min<size_t>(i, offsets.size() - 1)];
  };
  auto holds = [&](const Predicate& p, const TSQueryMatch& m) {
    for (uint16_t k = 0; k < m.capture_count; ++k) {
      if (m.captures[k].index != p.capture) continue;
      const std::string_view value = source_of(m.captures[k].node);
      bool result = false;
      switch (p.op) {
        case Op::eq:
          if (p.other_is_capture) {
            for (uint16_t j = 0; j < m.capture_count; ++j) {
              if (m.captures[j].index == p.other_capture) result = result || source_of(m.captures[j].node) == value;
            }
          } else {
            result = value == p.strings[0];
          }
          break;
        case Op::any_of:
          result = std::find(p.strings.begin(), p.strings.end(), value) != p.strings.end();
          break;
        case Op::match: {
          const std::string bounded(value.substr(0, kMaxMatchText));
          result = regexec(&p.regex->re, bounded.c_str(), 0, nullptr, 0) == 0;
          break;
        }
      }
      if (result == p.negated) return false;
    }
    return true;  // an optional capture the match lacks: nothing to compare
  };
  TSQueryMatch m;
  while (ts_query_cursor_next_match(cursor, &m)) {
    const auto& predicates = c.predicates[m.pattern_index];
    if (!std::all_of(predicates.begin(), predicates.end(), [&](const Predicate& p) { return holds(p, m); })) continue;
    QueryMatch& match = out.emplace_back();
    for (uint16_t k = 0; k < m.capture_count; ++k) {
      const TSNode n = m.captures[k].node;
      QueryCapture capture;
      capture.name = names_[m.captures[k].index];
      capture.text = std::string(source_of(n));
      capture.span = {at(ts_node_start_byte(n)), at(ts_node_end_byte(n))};
      match.captures.push_back(std::move(capture));
    }
  }
  return !deadline.expired;
}

}  // namespace pkgaudit::shell
