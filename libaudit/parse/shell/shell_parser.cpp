#include "parse/shell/shell_parser.hpp"

#include <tree_sitter/api.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iterator>
#include <memory>
#include <vector>

#include "parse/shell/wrappers.hpp"

extern "C" const TSLanguage* tree_sitter_bash(void);

namespace pkgaudit::shell {
namespace {

using Clock = std::chrono::steady_clock;

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
using ParserPtr = std::unique_ptr<TSParser, ParserDeleter>;
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

// Freed however the walk ends: an allocation failure throws through it.
class Cursor {
 public:
  explicit Cursor(TSNode node) : cursor_(ts_tree_cursor_new(node)) {}
  ~Cursor() { ts_tree_cursor_delete(&cursor_); }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  TSTreeCursor* get() { return &cursor_; }

 private:
  TSTreeCursor cursor_;
};

struct InputPayload {
  std::string_view text;
};

const char* read_input(void* payload, uint32_t byte_index, TSPoint, uint32_t* bytes_read) {
  const auto* in = static_cast<const InputPayload*>(payload);
  if (byte_index >= in->text.size()) {
    *bytes_read = 0;
    return "";
  }
  *bytes_read = static_cast<uint32_t>(in->text.size() - byte_index);
  return in->text.data() + byte_index;
}

struct ProgressPayload {
  Clock::time_point deadline;
  bool expired = false;
};

bool check_progress(TSParseState* state) {
  auto* progress = static_cast<ProgressPayload*>(state->payload);
  if (Clock::now() >= progress->deadline) progress->expired = true;
  return progress->expired;  // true halts the parse
}

// One parser per thread, reused: a new parser grows its stacks and buffers
// from nothing on every script and every re-parsed `bash -c` string, which
// cost a measurable share of the audit in allocations. The walk re-parses
// only after the outer parse has returned, so one parser per thread is
// never in use twice at once.
TSParser* thread_parser() {
  thread_local const ParserPtr parser = [] {
    ParserPtr p(ts_parser_new());
    ts_parser_set_language(p.get(), tree_sitter_bash());
    return p;
  }();
  return parser.get();
}

TreePtr parse_bounded(std::string_view text, ProgressPayload& progress) {
  TSParser* parser = thread_parser();
  // A halted parse would otherwise resume on the next call, with the old text.
  ts_parser_reset(parser);
  InputPayload input_payload{text};
  TSInput input{};
  input.payload = &input_payload;
  input.read = read_input;
  input.encoding = TSInputEncodingUTF8;
  TSParseOptions options{};
  options.payload = &progress;
  options.progress_callback = check_progress;
  return TreePtr(ts_parser_parse_with_options(parser, nullptr, input, options));
}

// A word's value with, for every byte of it, the offset in the top-level
// file it came from (one extra entry for the end). Re-parsed strings keep
// exact positions through this map.
struct Evaluated {
  std::string text;
  bool is_static = true;
  OffsetMap offsets;  // size text.size() + 1
  Span span;          // the whole word as written, quotes included
};

constexpr size_t kMaxDynamicText = 512;

std::string_view node_type(TSNode n) { return ts_node_type(n); }

class Builder {
 public:
  Builder(ShellScript& out, const Limits& limits)
      : out_(out), limits_(limits) {
    progress_.deadline = Clock::now() + std::chrono::milliseconds(limits.parse_milliseconds);
  }

  // Parses `text`, whose byte i sits at top-level offset map[i] (identity
  // when map is empty), and adds its commands with the given wrappers.
  void build(std::string_view text, const std::vector<uint32_t>& map, const std::vector<std::string>& wrappers,
             uint32_t depth) {
    if (progress_.expired) return;
    TreePtr tree = parse_bounded(text, progress_);
    if (!tree) {
      out_.timed_out = true;
      return;
    }
    Level level{text, map, wrappers, depth};
    walk(level, ts_tree_root_node(tree.get()));
  }

 private:
  struct Level {
    std::string_view text;
    const std::vector<uint32_t>& map;
    const std::vector<std::string>& wrappers;
    uint32_t depth;
    uint32_t top(uint32_t i) const { return map.empty() ? i : map[std::min<size_t>(i, map.size() - 1)]; }
    std::string_view source(TSNode n) const {
      const uint32_t b = std::min<uint32_t>(ts_node_start_byte(n), static_cast<uint32_t>(text.size()));
      const uint32_t e = std::min<uint32_t>(ts_node_end_byte(n), static_cast<uint32_t>(text.size()));
      return text.substr(b, e > b ? e - b : 0);
    }
  };

  // Node types and fields, as numbers: comparing names for every node was
  // a measurable share of the time.
  struct Symbols {
    TSSymbol comment, command, command_name, assignment, for_loop, select_loop, word, number, raw_string,
        string, translated_string, string_content, ansi_c_string, concatenation, expansion, simple_expansion,
        test_command, file_redirect,
        file_descriptor, redirected_statement, heredoc_redirect, heredoc_start, heredoc_body, heredoc_content;
    TSFieldId name_field, argument_field;
    Symbols() {
      const TSLanguage* bash = tree_sitter_bash();
      name_field = ts_language_field_id_for_name(bash, "name", 4);
      argument_field = ts_language_field_id_for_name(bash, "argument", 8);
      auto id = [&](const char* name) { return ts_language_symbol_for_name(bash, name, static_cast<uint32_t>(std::strlen(name)), true); };
      comment = id("comment");
      command = id("command");
      command_name = id("command_name");
      assignment = id("variable_assignment");
      for_loop = id("for_statement");
      select_loop = id("select_statement");
      word = id("word");
      number = id("number");
      raw_string = id("raw_string");
      string = id("string");
      translated_string = id("translated_string");
      string_content = id("string_content");
      ansi_c_string = id("ansi_c_string");
      concatenation = id("concatenation");
      expansion = id("expansion");
      simple_expansion = id("simple_expansion");
      test_command = id("test_command");
      file_redirect = id("file_redirect");
      file_descriptor = id("file_descriptor");
      redirected_statement = id("redirected_statement");
      heredoc_redirect = id("heredoc_redirect");
      heredoc_start = id("heredoc_start");
      heredoc_body = id("heredoc_body");
      heredoc_content = id("heredoc_content");
    }
  };
  static const Symbols& sym() {
    static const Symbols symbols;
    return symbols;
  }
  static bool is(TSNode node, TSSymbol symbol) { return !ts_node_is_null(node) && ts_node_symbol(node) == symbol; }

  // Every node in source order, through one cursor: iterative, so hostile
  // nesting costs heap, not stack; and no ts_node_parent(), which searches
  // down from the root every time, nor a cursor per node.
  void walk(const Level& level, TSNode root) {
    const Symbols& sym = Builder::sym();
    std::vector<TSNode> ancestors;
    Cursor cursor(root);
    bool entering = true;
    for (;;) {
      if (entering) {
        const TSNode node = ts_tree_cursor_current_node(cursor.get());
        if (visit(level, node, ancestors.empty() ? TSNode{} : ancestors.back(), sym) &&
            ts_tree_cursor_goto_first_child(cursor.get())) {
          ancestors.push_back(node);
          continue;
        }
      }
      if (ts_tree_cursor_goto_next_sibling(cursor.get())) {
        entering = true;
        continue;
      }
      if (ancestors.empty() || !ts_tree_cursor_goto_parent(cursor.get())) break;
      ancestors.pop_back();
      entering = false;
    }
  }

  // Records what `node` is; false: its children are not to be walked.
  bool visit(const Level& level, TSNode node, TSNode parent, const Symbols& sym) {
    if (level.depth == 0 && !out_.first_error && (ts_node_is_missing(node) || ts_node_is_error(node))) {
      record_error(level, node);
    }
    const TSSymbol type = ts_node_symbol(node);
    if (type == sym.comment) {
      out_.comments.push_back({std::string(level.source(node)),
                               {level.top(ts_node_start_byte(node)), level.top(ts_node_end_byte(node))}});
      return false;
    }
    if (type == sym.command) {
      add_command(level, node, parent);
      return is(ts_node_named_child(node, 0), sym.command_name) ? may_hold_more(level, node) : true;
    }
    if (type == sym.assignment) {
      add_assignment(level, node, parent);
      return may_hold_more(level, node);
    }
    if (type == sym.for_loop || type == sym.select_loop) add_loop_variable(level, node);
    // Words and tests hold commands only through a substitution.
    if (type == sym.string || type == sym.concatenation || type == sym.expansion ||
        type == sym.simple_expansion || type == sym.test_command || type == sym.heredoc_body) {
      return may_hold_more(level, node);
    }
    return true;
  }

  // Whether a node's children hold anything visit() records: a command
  // substitution or process substitution (a command), a comment or a
  // syntax error. Most commands, strings, assignments and tests hold none,
  // and stepping the cursor over every token in them was most of the
  // walk's time. Conservative: any '#' or '`' walks them. A command whose
  // first child is not its name (`A=1 cmd`) is walked for the assignment.
  static bool may_hold_more(const Level& level, TSNode node) {
    if (ts_node_has_error(node)) return true;
    const std::string_view text = level.source(node);
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '`' || c == '#') return true;
      if (c == '(' && i > 0 && (text[i - 1] == '$' || text[i - 1] == '<' || text[i - 1] == '>')) return true;
    }
    return false;
  }

  void record_error(const Level& level, TSNode node) {
    SyntaxError error;
    error.span = {level.top(ts_node_start_byte(node)), level.top(ts_node_end_byte(node))};
    if (ts_node_is_missing(node)) {
      // Point at the construct left open (`if`, `while`, a quote), as a
      // reader looks for it, rather than at the end of the file.
      const TSNode parent = ts_node_parent(node);
      error.message = "missing '" + std::string(node_type(node)) + "'";
      if (!ts_node_is_null(parent) && ts_node_child_count(parent) > 0) {
        const TSNode opener = ts_node_child(parent, 0);
        error.span = {level.top(ts_node_start_byte(opener)), level.top(ts_node_end_byte(opener))};
        const std::string_view open_text = level.source(opener);
        if (!open_text.empty() && open_text.size() <= 12 && open_text.find('\n') == std::string_view::npos) {
          error.message += " to close this '" + std::string(open_text) + "'";
        }
      }
    } else {
      std::string_view near = level.source(node);
      // The first token of the unparsable region, kept short.
      if (ts_node_child_count(node) > 0) near = level.source(ts_node_child(node, 0));
      near = near.substr(0, near.find('\n'));
      if (near.size() > 40) near = near.substr(0, 40);
      error.message = near.empty() ? "syntax error" : "syntax error near '" + std::string(near) + "'";
    }
    out_.first_error = std::move(error);
  }

  Evaluated evaluate(const Level& level, TSNode node) {
    Evaluated out;
    const Symbols& sym = Builder::sym();
    const TSSymbol type = ts_node_symbol(node);
    const uint32_t start = ts_node_start_byte(node);
    const std::string_view raw = level.source(node);
    auto emit = [&](char c, uint32_t at) {
      out.text += c;
      out.offsets.push_back(level.top(at));
    };
    // raw[from, to) unchanged: most of every word, copied at once.
    auto emit_run = [&](uint32_t from, uint32_t to) {
      if (to <= from) return;
      out.text.append(raw.substr(from, to - from));
      if (level.map.empty()) {
        out.offsets.push_run(start + from, to - from);
      } else {
        for (uint32_t i = from; i < to; ++i) out.offsets.push_back(level.top(start + i));
      }
    };
    // `end` is where the value's text ends: before a closing quote.
    const uint32_t node_end = ts_node_end_byte(node);
    out.span = {level.top(start), level.top(node_end)};
    auto finish = [&](uint32_t end) { out.offsets.push_back(level.top(end)); };
    // A dynamic word keeps its source text for messages and for resolving
    // `$VAR` parts, capped: 100,000 nested `$(` are one word per level, and
    // copying each whole would be quadratic. A capped word never resolves.
    auto take_raw = [&] {
      const uint32_t n = static_cast<uint32_t>(std::min<size_t>(raw.size(), kMaxDynamicText));
      emit_run(0, n);
      if (n < raw.size()) emit('\x01', start + n);  // marks the cut; never a valid value
    };

    if (type == sym.command_name && ts_node_named_child_count(node) == 1) {
      return evaluate(level, ts_node_named_child(node, 0));
    }
    if (type == sym.word || type == sym.number) {
      const auto size = static_cast<uint32_t>(raw.size());
      uint32_t run = 0;
      for (uint32_t i = 0; i < size; ++i) {
        if (raw[i] == '\\' && i + 1 < size) {
          emit_run(run, i);
          if (raw[i + 1] != '\n') emit(raw[i + 1], start + i + 1);
          ++i;
          run = i + 1;
        }
      }
      emit_run(run, size);
      finish(node_end);
      return out;
    }
    if (type == sym.raw_string && raw.size() >= 2) {
      emit_run(1, static_cast<uint32_t>(raw.size()) - 1);
      finish(node_end - 1);
      return out;
    }
    if ((type == sym.string || type == sym.translated_string) && raw.size() >= 2) {
      for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
        if (!is(ts_node_named_child(node, i), sym.string_content)) out.is_static = false;
      }
      if (!out.is_static) {
        take_raw();
        finish(node_end);
        return out;
      }
      const uint32_t first = type == sym.translated_string ? 2 : 1;
      const auto last = static_cast<uint32_t>(raw.size()) - 1;  // the closing quote
      uint32_t run = first;
      for (uint32_t i = first; i < last; ++i) {
        if (raw[i] != '\\' || i + 2 >= raw.size()) continue;
        const char next = raw[i + 1];
        if (next == '\n' || next == '"' || next == '\\' || next == '$' || next == '`') {
          emit_run(run, i);
          if (next != '\n') emit(next, start + i + 1);
          ++i;
          run = i + 1;
        }
      }
      emit_run(run, last);
      finish(node_end - 1);
      return out;
    }
    if (type == sym.ansi_c_string && raw.size() >= 3) {
      for (uint32_t i = 2; i + 1 < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 2 >= raw.size()) {
          emit(raw[i], start + i);
          continue;
        }
        const char e = raw[i + 1];
        const char mapped = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'e' ? '\x1b'
                          : e == 'a' ? '\a' : e == 'b' ? '\b' : e == 'f' ? '\f' : e == 'v' ? '\v' : e;
        emit(mapped, start + i);
        ++i;
      }
      finish(node_end - 1);
      return out;
    }
    if (type == sym.concatenation) {
      const uint32_t count = ts_node_child_count(node);
      for (uint32_t i = 0; i < count; ++i) {
        Evaluated part = evaluate(level, ts_node_child(node, i));
        out.is_static = out.is_static && part.is_static;
        out.text += part.text;
        for (size_t k = 0; k + 1 < part.offsets.size(); ++k) out.offsets.push_back(part.offsets[k]);
      }
      finish(node_end);
      return out;
    }
    // Expansions, substitutions, brace expressions and anything unknown:
    // dynamic, never guessed. The source text is kept for messages.
    out.is_static = false;
    take_raw();
    finish(node_end);
    return out;
  }

  static Word to_word(Evaluated e) {
    Word w;
    w.text = std::move(e.text);
    w.is_static = e.is_static;
    w.span = e.span;
    w.offsets = std::move(e.offsets);
    return w;
  }

  // Statement-level assignments; a command's prefix (`A=1 cmd`) is not one.
  void add_assignment(const Level& level, TSNode node, TSNode parent) {
    const bool prefix = is(parent, sym().command);
    const TSNode name = ts_node_child_by_field_name(node, "name", 4);
    if (ts_node_is_null(name)) return;
    Assignment a;
    a.name = std::string(level.source(name));
    const TSNode value = ts_node_child_by_field_name(node, "value", 5);
    if (ts_node_is_null(value)) {
      a.value.span = {level.top(ts_node_end_byte(node)), level.top(ts_node_end_byte(node))};
      a.value.offsets = OffsetMap(std::vector<uint32_t>{a.value.span.end});
    } else {
      a.value = to_word(evaluate(level, value));
    }
    a.span = {level.top(ts_node_start_byte(node)), level.top(ts_node_end_byte(node))};
    a.command_prefix = prefix;
    out_.assignments.push_back(std::move(a));
  }

  void add_loop_variable(const Level& level, TSNode node) {
    const TSNode var = ts_node_child_by_field_name(node, "variable", 8);
    if (ts_node_is_null(var)) return;
    Assignment a;
    a.name = std::string(level.source(var));
    a.value.is_static = false;
    a.value.text = std::string(level.source(node)).substr(0, 40);
    a.span = {level.top(ts_node_start_byte(var)), level.top(ts_node_end_byte(var))};
    a.value.span = a.span;
    out_.assignments.push_back(std::move(a));
  }

  void add_command(const Level& level, TSNode node, TSNode parent) {
    const Symbols& sym = Builder::sym();
    // One pass over the children: looking up the name by field and the
    // redirections by index each walk the children again.
    TSNode name_node{};
    args_.clear();
    redirects_.clear();
    Cursor cursor(node);
    if (ts_tree_cursor_goto_first_child(cursor.get())) {
      do {
        const TSFieldId field = ts_tree_cursor_current_field_id(cursor.get());
        const TSNode child = ts_tree_cursor_current_node(cursor.get());
        if (field == sym.name_field && ts_node_is_null(name_node)) {
          name_node = child;
        } else if (field == sym.argument_field) {
          args_.push_back(to_word(evaluate(level, child)));
        } else if (ts_node_symbol(child) == sym.file_redirect) {
          redirects_.push_back(child);
        }
      } while (ts_tree_cursor_goto_next_sibling(cursor.get()));
    }
    if (ts_node_is_null(name_node)) return;
    Command c;
    c.name = to_word(evaluate(level, name_node));
    // Gathered in a reused buffer, then stored at their exact count.
    c.args.assign(std::make_move_iterator(args_.begin()), std::make_move_iterator(args_.end()));
    c.span = {c.name.span.begin, level.top(ts_node_end_byte(node))};
    c.wrappers = level.wrappers;
    collect_heredocs(level, parent, c);
    for (const TSNode redirect : redirects_) add_redirect(level, redirect, c);
    collect_redirects(level, parent, c);
    process(std::move(c), level.depth);
  }

  void add_redirect(const Level& level, TSNode redirect, Command& command) {
    Redirect r;
    const uint32_t count = ts_node_child_count(redirect);
    for (uint32_t i = 0; i < count; ++i) {
      const TSNode child = ts_node_child(redirect, i);
      if (!ts_node_is_named(child)) {
        if (r.op.empty()) r.op = std::string(node_type(child));
      } else if (!is(child, sym().file_descriptor) && r.target.offsets.empty()) {
        r.target = to_word(evaluate(level, child));
      }
    }
    if (!r.op.empty() && !r.target.offsets.empty()) command.redirects.push_back(std::move(r));
  }

  // Redirections sit in the command before its name (`>x cmd`, gathered by
  // add_command) or, after it, in the redirected_statement around it.
  void collect_redirects(const Level& level, TSNode parent, Command& command) {
    if (!is(parent, sym().redirected_statement)) return;
    for (uint32_t i = 0; i < ts_node_named_child_count(parent); ++i) {
      const TSNode child = ts_node_named_child(parent, i);
      if (is(child, sym().file_redirect)) add_redirect(level, child, command);
    }
  }

  void collect_heredocs(const Level& level, TSNode parent, Command& c) {
    if (!is(parent, sym().redirected_statement)) return;
    const uint32_t count = ts_node_named_child_count(parent);
    for (uint32_t i = 0; i < count; ++i) {
      const TSNode redirect = ts_node_named_child(parent, i);
      if (!is(redirect, sym().heredoc_redirect)) continue;
      Heredoc heredoc;
      bool found = false;
      std::vector<uint32_t> offsets;
      for (uint32_t k = 0; k < ts_node_named_child_count(redirect); ++k) {
        const TSNode part = ts_node_named_child(redirect, k);
        const TSSymbol type = ts_node_symbol(part);
        if (type == sym().heredoc_start) {
          const std::string_view delim = level.source(part);
          heredoc.expands = delim.find_first_of("'\"\\") == std::string_view::npos;
        } else if (type == sym().heredoc_body) {
          found = true;
          const uint32_t b = ts_node_start_byte(part);
          const std::string_view body = level.source(part);
          heredoc.body = std::string(body);
          for (uint32_t j = 0; j <= body.size(); ++j) offsets.push_back(level.top(b + j));
          heredoc.span = {offsets.front(), offsets.back()};
          // An unquoted delimiter matters only when the body really expands something.
          bool has_expansion = false;
          for (uint32_t j = 0; j < ts_node_named_child_count(part); ++j) {
            if (!is(ts_node_named_child(part, j), sym().heredoc_content)) has_expansion = true;
          }
          heredoc.expands = heredoc.expands && has_expansion;
        }
      }
      if (!found) continue;
      heredoc.offsets = OffsetMap(offsets);
      c.heredocs.push_back(std::move(heredoc));
    }
  }

  // Records the command, then what it runs: the command behind a wrapper,
  // the string of `bash -c`, a heredoc fed to a shell.
  void process(Command c, uint32_t depth) {
    for (uint32_t guard = 0; guard < 64; ++guard) {
      const Unwrapped next = c.name.is_static ? unwrap(c) : Unwrapped{};
      if (next.kind == Unwrapped::none) {
        out_.commands.push_back(std::move(c));
        return;
      }
      out_.commands.push_back(c);
      const Command& cmd = c;
      if (next.kind == Unwrapped::script_string || next.kind == Unwrapped::stdin_script) {
        if (depth + 1 > limits_.reparse_depth) {
          out_.depth_limited = true;
          return;
        }
        std::vector<std::string> wrappers = cmd.wrappers;
        wrappers.push_back(next.label);
        if (next.kind == Unwrapped::script_string) {
          if (next.index >= cmd.args.size()) return;
          const Word& w = cmd.args[next.index];
          if (!w.is_static) return;
          build(w.text, w.offsets.expand(), wrappers, depth + 1);
        } else {
          for (const Heredoc& heredoc : cmd.heredocs) {
            if (heredoc.expands) continue;  // `$x` in the body: dynamic
            build(heredoc.body, heredoc.offsets.expand(), wrappers, depth + 1);
          }
        }
        return;
      }
      // A plain wrapper: the command starts at args[index].
      if (next.index >= cmd.args.size()) return;  // a wrapper with no command: nothing to follow
      Command inner;
      inner.name = cmd.args[next.index];
      inner.args.assign(cmd.args.begin() + static_cast<ptrdiff_t>(next.index) + 1, cmd.args.end());
      inner.span = {inner.name.span.begin, cmd.span.end};
      inner.wrappers = cmd.wrappers;
      inner.wrappers.push_back(next.label);
      inner.heredocs = cmd.heredocs;
      c = std::move(inner);
    }
  }

  ShellScript& out_;
  const Limits& limits_;
  std::vector<Word> args_;
  std::vector<TSNode> redirects_;
  ProgressPayload progress_;
};

std::string_view program_of(const Word& w) {
  const size_t slash = w.text.rfind('/');
  return slash == std::string::npos ? std::string_view(w.text) : std::string_view(w.text).substr(slash + 1);
}

}  // namespace

OffsetMap::OffsetMap(const std::vector<uint32_t>& per_byte) {
  for (const uint32_t offset : per_byte) push_back(offset);
}

OffsetMap::OffsetMap(const OffsetMap& other)
    : size_(other.size_), first_(other.first_), more_(other.more_ ? std::make_unique<Runs>(*other.more_) : nullptr) {}

OffsetMap& OffsetMap::operator=(const OffsetMap& other) {
  if (this != &other) *this = OffsetMap(other);
  return *this;
}

uint32_t OffsetMap::last() const {
  if (!more_) return first_ + (size_ - 1);
  const auto& [at, offset] = more_->back();
  return offset + (size_ - 1 - at);
}

void OffsetMap::push_back(uint32_t offset) {
  if (size_ == 0) first_ = offset;
  else if (offset != last() + 1) {
    if (!more_) more_ = std::make_unique<Runs>();
    more_->emplace_back(size_, offset);
  }
  ++size_;
}

void OffsetMap::push_run(uint32_t offset, uint32_t count) {
  if (count == 0) return;
  push_back(offset);
  size_ += count - 1;
}

uint32_t OffsetMap::operator[](size_t i) const {
  const auto index = static_cast<uint32_t>(i);
  if (!more_ || index < more_->front().first) return first_ + index;
  auto it = std::upper_bound(more_->begin(), more_->end(), index,
                             [](uint32_t at, const auto& run) { return at < run.first; });
  --it;
  return it->second + (index - it->first);
}

std::vector<uint32_t> OffsetMap::expand(size_t from) const {
  std::vector<uint32_t> out(from < size_ ? size_ - from : 0);
  for (size_t i = 0; i < out.size(); ++i) out[i] = (*this)[from + i];
  return out;
}

bool Command::has_option(char short_flag, std::string_view long_flag) const {
  for (const Word& w : args) {
    if (!w.is_static) continue;
    if (w.text == "--") break;
    if (!long_flag.empty() && w.text.starts_with("--")) {
      const std::string_view body = std::string_view(w.text).substr(0, w.text.find('='));
      if (body == long_flag) return true;
      continue;
    }
    if (short_flag && w.text.size() >= 2 && w.text[0] == '-' && w.text[1] != '-' &&
        w.text.find(short_flag) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::vector<const Command*> ShellScript::commands_named(std::initializer_list<std::string_view> names) const {
  std::vector<const Command*> found;
  for (const Command& c : commands) {
    if (!c.name.is_static) continue;
    const std::string_view program = program_of(c.name);
    if (std::find(names.begin(), names.end(), program) != names.end()) found.push_back(&c);
  }
  return found;
}

const Word* ShellScript::static_value(std::string_view name) const {
  const Word* found = nullptr;
  for (const Assignment& a : assignments) {
    if (a.name != name || a.command_prefix) continue;
    if (found) return nullptr;  // assigned more than once
    found = &a.value;
  }
  if (!found || !found->is_static) return nullptr;
  for (const Command& c : commands) {
    // `read NAME` assigns at run time.
    if (c.has_name("read")) {
      for (const Word& w : c.args) {
        if (w.is_static && w.text == name) return nullptr;
      }
    }
  }
  return found;
}

std::vector<const Word*> args_without_flags(const Command& command, std::string_view valued) {
  std::vector<const Word*> out;
  bool options_done = false;
  for (size_t i = 0; i < command.args.size(); ++i) {
    const Word& w = command.args[i];
    if (!options_done && w.is_static && w.text == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && w.is_static && w.text.size() > 1 && w.text[0] == '-') {
      // In a cluster like `-XPUT` or `-nu user`, the first option that takes
      // a value owns the rest of the word, or the next word when it is last.
      if (w.text[1] != '-') {
        for (size_t k = 1; k < w.text.size(); ++k) {
          if (valued.find(w.text[k]) == std::string_view::npos) continue;
          if (k + 1 == w.text.size()) ++i;
          break;
        }
      }
      continue;
    }
    out.push_back(&w);
  }
  return out;
}

namespace {

// A cron command's or an `Exec*=` line's model is kept for the whole run:
// vectors grown by doubling would hold up to twice what they use, for
// every unit. A script's model lives only for its batch, so parse_shell
// does not pay for moving every command once more.
void release_spare_capacity(ShellScript& script) {
  script.commands.shrink_to_fit();
  script.comments.shrink_to_fit();
  script.assignments.shrink_to_fit();
}

}  // namespace

ShellScript parse_shell(std::string_view text, const Limits& limits) {
  ShellScript script;
  Builder builder(script, limits);
  builder.build(text, {}, {}, 0);
  return script;
}

ShellScript parse_shell_mapped(std::string_view text, const std::vector<uint32_t>& offsets, const Limits& limits) {
  static const std::vector<uint32_t> kIdentity;
  ShellScript script;
  Builder builder(script, limits);
  builder.build(text, offsets.size() == text.size() + 1 ? offsets : kIdentity, {}, 0);
  release_spare_capacity(script);
  return script;
}

std::shared_ptr<TSTree> parse_tree(std::string_view text, const Limits& limits) {
  ProgressPayload progress;
  progress.deadline = Clock::now() + std::chrono::milliseconds(limits.parse_milliseconds);
  return std::shared_ptr<TSTree>(parse_bounded(text, progress).release(), TreeDeleter{});
}

}  // namespace pkgaudit::shell
