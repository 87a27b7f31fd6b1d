#include "parse/sql/sql_script.hpp"
#include "text/ascii.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace pkgaudit::sql {

const char* dialect_name(Dialect d) noexcept { return d == Dialect::mysql ? "MySQL" : "PostgreSQL"; }

namespace {

std::string upper(std::string_view s) { return text::ascii_upper(s); }
std::string lower(std::string_view s) { return text::ascii_lower(s); }

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }



class Lexer {
 public:
  Lexer(std::string_view text, const std::vector<uint32_t>& offsets, const LexOptions& options)
      : t_(text), offsets_(offsets), options_(options) {
    out_.dialect = options.dialect;
  }

  Script run() {
    const bool mysql = options_.dialect == Dialect::mysql;
    while (i_ < t_.size() && !out_.error) {
      const char c = t_[i_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i_;
        continue;
      }
      if (mysql && tokens_.empty() && at_line_start() && starts_with_ci("DELIMITER") && i_ + 9 < t_.size() &&
          std::isspace(static_cast<unsigned char>(t_[i_ + 9]))) {
        size_t b = i_ + 9;
        while (b < t_.size() && (t_[b] == ' ' || t_[b] == '\t')) ++b;
        size_t e = b;
        while (e < t_.size() && !std::isspace(static_cast<unsigned char>(t_[e]))) ++e;
        if (e > b) delimiter_ = std::string(t_.substr(b, e - b));
        i_ = e;
        continue;
      }
      if (delimiter_ != ";" && t_.substr(i_).starts_with(delimiter_)) {
        end_statement(i_ + delimiter_.size());
        i_ += delimiter_.size();
        continue;
      }
      if (c == ';' && delimiter_ == ";") {
        end_statement(i_ + 1);
        ++i_;
        continue;
      }
      if (c == '-' && peek(1) == '-' && (!mysql || peek(2) == '\0' || std::isspace(static_cast<unsigned char>(peek(2))))) {
        skip_line();
        continue;
      }
      if (c == '#' && mysql) {
        skip_line();
        continue;
      }
      if (c == '/' && peek(1) == '*') {
        block_comment();
        continue;
      }
      if (c == '\\' && !mysql) {
        meta_command();
        continue;
      }
      if ((c == 'E' || c == 'e') && peek(1) == '\'' && !mysql) {
        quoted('\'', i_ + 1, true, TokenKind::string);
        continue;
      }
      if (c == '\'') {
        quoted('\'', i_, mysql, TokenKind::string);
        continue;
      }
      if (c == '"') {
        quoted('"', i_, mysql, mysql ? TokenKind::string : TokenKind::quoted_identifier);
        continue;
      }
      if (c == '`' && mysql) {
        quoted('`', i_, false, TokenKind::quoted_identifier);
        continue;
      }
      if (c == '$') {
        dollar();
        continue;
      }
      if (c == ':' && !mysql && peek(1) != ':' && (ident_start(peek(1)) || peek(1) == '\'' || peek(1) == '"')) {
        // psql variable: :name, :'name', :"name"
        size_t e = i_ + 1;
        if (t_[e] == '\'' || t_[e] == '"') {
          const char q = t_[e];
          e = t_.find(q, e + 1);
          e = e == std::string_view::npos ? t_.size() : e + 1;
        } else {
          while (e < t_.size() && ident_char(t_[e])) ++e;
        }
        push(TokenKind::dynamic, std::string(t_.substr(i_, e - i_)), i_, e);
        i_ = e;
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c))) {
        size_t e = i_;
        while (e < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[e])) || t_[e] == '.')) ++e;
        push(TokenKind::number, std::string(t_.substr(i_, e - i_)), i_, e);
        i_ = e;
        continue;
      }
      if (ident_start(c)) {
        size_t e = i_;
        while (e < t_.size() && ident_char(t_[e])) ++e;
        push(TokenKind::word, std::string(t_.substr(i_, e - i_)), i_, e);
        i_ = e;
        continue;
      }
      const size_t len = (c == ':' && peek(1) == ':') ? 2 : 1;
      push(TokenKind::punct, std::string(t_.substr(i_, len)), i_, i_ + len);
      i_ += len;
    }
    if (!out_.error) end_statement(t_.size());
    return std::move(out_);
  }

 private:
  char peek(size_t k) const { return i_ + k < t_.size() ? t_[i_ + k] : '\0'; }
  uint32_t at(size_t k) const {
    if (offsets_.empty()) return static_cast<uint32_t>(k);
    return offsets_[std::min(k, offsets_.size() - 1)];
  }
  bool at_line_start() const {
    size_t k = i_;
    while (k > 0 && (t_[k - 1] == ' ' || t_[k - 1] == '\t')) --k;
    return k == 0 || t_[k - 1] == '\n';
  }
  bool starts_with_ci(std::string_view word) const {
    if (i_ + word.size() > t_.size()) return false;
    return upper(t_.substr(i_, word.size())) == word;
  }

  void push(TokenKind kind, std::string text, size_t b, size_t e) {
    Token tok;
    tok.kind = kind;
    tok.text = std::move(text);
    tok.span = {at(b), at(e)};
    if (tokens_.empty()) first_ = b;
    last_ = e;
    tokens_.push_back(std::move(tok));
  }

  void error(size_t b, size_t len, std::string message) {
    out_.error = LexError{{at(b), at(b + len)}, std::move(message)};
  }

  void skip_line() {
    const size_t eol = t_.find('\n', i_);
    i_ = eol == std::string_view::npos ? t_.size() : eol + 1;
  }

  void block_comment() {
    const size_t open = i_;
    const bool nested = options_.dialect == Dialect::postgres;
    int depth = 0;
    while (i_ < t_.size()) {
      if (t_[i_] == '/' && peek(1) == '*' && (depth == 0 || nested)) {
        ++depth;
        i_ += 2;
      } else if (t_[i_] == '*' && peek(1) == '/') {
        --depth;
        i_ += 2;
        if (depth == 0) return;
      } else {
        ++i_;
      }
    }
    error(open, 2, "unterminated /* comment: the rest of the file is inside it");
  }

  // 'x' with '' (and, for E'' and MySQL, backslash) escapes.
  void quoted(char q, size_t open, bool backslash, TokenKind kind) {
    std::string text;
    size_t k = open + 1;
    while (k < t_.size()) {
      const char c = t_[k];
      if (backslash && c == '\\' && k + 1 < t_.size()) {
        text += t_[k + 1];
        k += 2;
        continue;
      }
      if (c == q) {
        if (k + 1 < t_.size() && t_[k + 1] == q) {
          text += q;
          k += 2;
          continue;
        }
        push(kind, std::move(text), i_, k + 1);
        i_ = k + 1;
        return;
      }
      text += c;
      ++k;
    }
    const char* what = q == '\'' ? "string" : q == '"' ? (kind == TokenKind::string ? "string" : "quoted identifier")
                                                       : "quoted identifier";
    error(i_, open + 1 - i_, fmt::format("unterminated {}: the {} opened here never closes", what, q == '\'' ? "quote" : "quote"));
  }

  void dollar() {
    const bool mysql = options_.dialect == Dialect::mysql;
    // $1: a parameter
    if (std::isdigit(static_cast<unsigned char>(peek(1)))) {
      size_t e = i_ + 1;
      while (e < t_.size() && std::isdigit(static_cast<unsigned char>(t_[e]))) ++e;
      push(TokenKind::dynamic, std::string(t_.substr(i_, e - i_)), i_, e);
      i_ = e;
      return;
    }
    if (!mysql) {
      // $tag$ ... $tag$
      size_t e = i_ + 1;
      while (e < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[e])) || t_[e] == '_')) ++e;
      if (e < t_.size() && t_[e] == '$' && !(options_.shell_expansions && e > i_ + 1)) {
        const std::string tag(t_.substr(i_, e - i_ + 1));
        const size_t close = t_.find(tag, e + 1);
        if (close == std::string_view::npos) {
          error(i_, tag.size(), fmt::format("unterminated dollar-quoted string: {} opened here never closes", tag));
          return;
        }
        push(TokenKind::string, std::string(t_.substr(e + 1, close - e - 1)), i_, close + tag.size());
        i_ = close + tag.size();
        return;
      }
    }
    if (options_.shell_expansions) {
      // $name, ${...}, $(...) from an unquoted heredoc: the shell fills them in.
      size_t e = i_ + 1;
      if (peek(1) == '{' || peek(1) == '(') {
        const char close = peek(1) == '{' ? '}' : ')';
        e = t_.find(close, i_ + 2);
        e = e == std::string_view::npos ? t_.size() : e + 1;
      } else {
        while (e < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[e])) || t_[e] == '_')) ++e;
      }
      push(TokenKind::dynamic, std::string(t_.substr(i_, e - i_)), i_, e);
      i_ = e;
      return;
    }
    push(TokenKind::punct, "$", i_, i_ + 1);
    ++i_;
  }

  // psql backslash command: to the end of the line, its own statement.
  void meta_command() {
    end_statement(i_);
    const size_t eol_pos = t_.find('\n', i_);
    const size_t eol = eol_pos == std::string_view::npos ? t_.size() : eol_pos;
    std::string_view line = t_.substr(i_, eol - i_);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    size_t name_end = 1;
    while (name_end < line.size() && !std::isspace(static_cast<unsigned char>(line[name_end]))) ++name_end;
    Statement s;
    s.kind = Kind::meta;
    s.meta = std::string(line.substr(0, name_end));
    size_t arg = name_end;
    while (arg < line.size() && std::isspace(static_cast<unsigned char>(line[arg]))) ++arg;
    std::string_view argument = line.substr(arg);
    size_t arg_begin = i_ + arg;
    if (argument.size() >= 2 && (argument.front() == '\'' || argument.front() == '"') && argument.back() == argument.front()) {
      argument = argument.substr(1, argument.size() - 2);
      ++arg_begin;
    }
    s.meta_argument = std::string(argument);
    s.meta_argument_span = {at(arg_begin), at(arg_begin + argument.size())};
    s.span = {at(i_), at(i_ + line.size())};
    s.summary = std::string(line.substr(0, 80));
    out_.statements.push_back(std::move(s));
    i_ = eol;
  }

  void end_statement(size_t end) {
    if (tokens_.empty()) return;
    Statement s;
    // Sized exactly: a statement's tokens are held for its batch, and the
    // lexer's vector, grown by doubling, is reused for the next.
    s.tokens.assign(std::make_move_iterator(tokens_.begin()), std::make_move_iterator(tokens_.end()));
    tokens_.clear();
    s.span = {s.tokens.front().span.begin, s.tokens.back().span.end};
    (void)end;
    // A short, single-line rendering for messages.
    std::string summary;
    bool space = false;
    for (size_t k = first_; k < last_ && summary.size() <= 80; ++k) {
      const char c = t_[k];
      if (std::isspace(static_cast<unsigned char>(c))) {
        space = !summary.empty();
        continue;
      }
      if (space) summary += ' ';
      space = false;
      summary += c;
    }
    if (summary.size() > 72) {
      size_t cut = 68;
      while (cut > 0 && text::is_continuation_byte(summary[cut])) --cut;
      summary = summary.substr(0, cut) + " ...";
    }
    s.summary = std::move(summary);
    out_.statements.push_back(std::move(s));
  }

  std::string_view t_;
  const std::vector<uint32_t>& offsets_;
  LexOptions options_;
  size_t i_ = 0;
  std::string delimiter_ = ";";
  std::vector<Token> tokens_;
  size_t first_ = 0;
  size_t last_ = 0;
  Script out_;
};

// ---- statement analysis ----

class Reader {
 public:
  explicit Reader(const std::vector<Token>& tokens) : t_(tokens) {}
  bool done() const { return i_ >= t_.size(); }
  const Token* peek(size_t k = 0) const { return i_ + k < t_.size() ? &t_[i_ + k] : nullptr; }
  bool is(std::string_view word, size_t k = 0) const {
    const Token* tok = peek(k);
    return tok && tok->is(word);
  }
  bool is_punct(std::string_view p, size_t k = 0) const {
    const Token* tok = peek(k);
    return tok && tok->kind == TokenKind::punct && tok->text == p;
  }
  bool accept(std::string_view word) {
    if (!is(word)) return false;
    ++i_;
    return true;
  }
  bool accept_all(std::initializer_list<std::string_view> words) {
    size_t k = 0;
    for (std::string_view w : words) {
      if (!is(w, k)) return false;
      ++k;
    }
    i_ += k;
    return true;
  }
  void skip(size_t n = 1) { i_ += n; }
  size_t pos() const { return i_; }

  // A possibly qualified name: a.b.c; returns the last part.
  bool name(std::string& out, shell::Span& span, bool& dynamic) {
    bool got = false;
    while (const Token* tok = peek()) {
      if (tok->kind == TokenKind::word) out = lower(tok->text);
      else if (tok->kind == TokenKind::quoted_identifier) out = tok->text;
      else if (tok->kind == TokenKind::dynamic) {
        out = tok->text;
        dynamic = true;
      } else {
        break;
      }
      span = tok->span;
      got = true;
      ++i_;
      if (is_punct(".")) ++i_;
      else break;
    }
    return got;
  }

 private:
  const std::vector<Token>& t_;
  size_t i_ = 0;
};

bool contains_sequence(const std::vector<Token>& tokens, std::initializer_list<std::string_view> words) {
  if (words.size() == 0 || tokens.size() < words.size()) return false;
  for (size_t i = 0; i + words.size() <= tokens.size(); ++i) {
    size_t k = 0;
    for (std::string_view w : words) {
      if (!tokens[i + k].is(w)) break;
      ++k;
    }
    if (k == words.size()) return true;
  }
  return false;
}

AlterAction analyse_action(std::vector<Token> tokens) {
  AlterAction a;
  if (tokens.empty()) return a;
  a.span = {tokens.front().span.begin, tokens.back().span.end};
  Reader r(tokens);
  shell::Span ignored;
  bool dyn = false;
  auto column_name = [&] {
    r.accept("COLUMN");
    r.accept_all({"IF", "NOT", "EXISTS"});
    r.accept_all({"IF", "EXISTS"});
    std::string col;
    r.name(col, ignored, dyn);
    return col;
  };
  if (r.accept("ADD")) {
    const bool unique_index = r.is("UNIQUE") && (r.is("INDEX", 1) || r.is("KEY", 1));
    if (unique_index || r.is("INDEX") || r.is("KEY") || r.is("FULLTEXT") || r.is("SPATIAL")) {
      a.type = AlterAction::add_index;
    } else if (r.is("CONSTRAINT") || r.is("PRIMARY") || r.is("UNIQUE") || r.is("FOREIGN") || r.is("CHECK") ||
               r.is("EXCLUDE")) {
      a.type = AlterAction::add_constraint;
      if (r.accept("CONSTRAINT")) r.skip();  // its name
      if (r.is("FOREIGN")) a.constraint_kind = "FOREIGN KEY";
      else if (r.is("PRIMARY")) a.constraint_kind = "PRIMARY KEY";
      else if (r.is("UNIQUE")) a.constraint_kind = "UNIQUE";
      else if (r.is("CHECK")) a.constraint_kind = "CHECK";
      else if (r.is("EXCLUDE")) a.constraint_kind = "EXCLUDE";
      a.not_valid = contains_sequence(tokens, {"NOT", "VALID"});
      a.using_index = contains_sequence(tokens, {"USING", "INDEX"});
    } else {
      a.type = AlterAction::add_column;
      a.column = column_name();
      if (const Token* type = r.peek(); type && type->kind == TokenKind::word) a.column_type = upper(type->text);
      a.not_null = contains_sequence(tokens, {"NOT", "NULL"});
      for (size_t i = 0; i < tokens.size(); ++i) {
        if (!tokens[i].is("DEFAULT")) continue;
        a.has_default = true;
        if (i + 1 < tokens.size() && tokens[i + 1].kind == TokenKind::word) {
          const bool call = i + 2 < tokens.size() && tokens[i + 2].kind == TokenKind::punct && tokens[i + 2].text == "(";
          const std::string w = upper(tokens[i + 1].text);
          if (call || w == "CURRENT_TIMESTAMP" || w == "LOCALTIMESTAMP" || w == "CURRENT_DATE") a.default_function = w;
        }
      }
    }
  } else if (r.accept("DROP")) {
    if (r.is("CONSTRAINT") || r.is("INDEX") || r.is("KEY") || r.is("PRIMARY") || r.is("FOREIGN")) {
      a.type = AlterAction::drop_constraint;
    } else if (r.is("DEFAULT")) {
      a.type = AlterAction::drop_default;
    } else {
      a.type = AlterAction::drop_column;
      a.column = column_name();
    }
  } else if (r.accept("ALTER")) {
    a.column = column_name();
    if (r.accept("TYPE") || r.accept_all({"SET", "DATA", "TYPE"})) a.type = AlterAction::change_type;
    else if (r.accept_all({"SET", "NOT", "NULL"})) a.type = AlterAction::set_not_null;
    else if (r.accept_all({"DROP", "NOT", "NULL"})) a.type = AlterAction::drop_not_null;
    else if (r.accept_all({"SET", "DEFAULT"})) a.type = AlterAction::set_default;
    else if (r.accept_all({"DROP", "DEFAULT"})) a.type = AlterAction::drop_default;
  } else if (r.accept("MODIFY") || r.accept("CHANGE")) {
    a.type = AlterAction::change_type;
    a.column = column_name();
  } else if (r.accept("VALIDATE")) {
    a.type = AlterAction::validate_constraint;
  } else if (r.accept("RENAME")) {
    if (r.accept("TO") || r.accept("AS")) {
      a.type = AlterAction::rename_table;
    } else if (r.is("CONSTRAINT") || r.is("INDEX") || r.is("KEY")) {
      a.type = AlterAction::other;
    } else {
      a.type = AlterAction::rename_column;
      a.column = column_name();
    }
  }
  a.tokens = std::move(tokens);
  return a;
}

void analyse(Statement& s, Dialect dialect) {
  for (size_t i = 0; i + 1 < s.tokens.size(); ++i) {
    if (s.tokens[i].kind == TokenKind::word && s.tokens[i + 1].kind == TokenKind::punct && s.tokens[i + 1].text == "(") {
      s.functions.push_back(upper(s.tokens[i].text));
    }
  }
  for (size_t i = 0; i + 2 < s.tokens.size(); ++i) {
    if (s.tokens[i].kind != TokenKind::word || s.tokens[i + 1].text != "=") continue;
    if (s.tokens[i].is("ALGORITHM")) s.algorithm = upper(s.tokens[i + 2].text);
    if (s.tokens[i].is("LOCK")) s.lock_clause = upper(s.tokens[i + 2].text);
  }
  Reader r(s.tokens);
  auto target = [&] { r.name(s.table, s.table_span, s.table_dynamic); };
  if (r.accept("BEGIN") || r.accept_all({"START", "TRANSACTION"})) {
    // `BEGIN` inside a MySQL compound statement is not a transaction, but
    // those live in CREATE PROCEDURE bodies, which are one statement here.
    s.kind = Kind::begin;
  } else if (r.accept("COMMIT") || r.accept("END")) {
    s.kind = Kind::commit;
  } else if (r.is("ROLLBACK") && r.is("TO", 1)) {
    s.kind = Kind::savepoint;
  } else if (r.accept("ROLLBACK") || r.accept("ABORT")) {
    s.kind = Kind::rollback;
  } else if (r.accept("SAVEPOINT") || r.accept("RELEASE")) {
    s.kind = Kind::savepoint;
  } else if (r.accept("SET")) {
    s.kind = Kind::set;
    if (r.accept("LOCAL")) s.local = true;
    else if (r.accept("SESSION") || r.accept("GLOBAL")) {}
    if (const Token* name = r.peek(); name && name->kind == TokenKind::word) {
      s.setting = lower(name->text);
      r.skip();
      if (r.is_punct("=") || r.is("TO")) r.skip();
      std::string value;
      while (const Token* v = r.peek()) {
        value += v->text;
        r.skip();
      }
      s.value = value;
    }
  } else if (r.accept("RESET")) {
    s.kind = Kind::reset;
    if (const Token* name = r.peek(); name && name->kind == TokenKind::word) s.setting = lower(name->text);
  } else if (r.is("SELECT") || r.is("DO") || r.is("CALL")) {
    s.kind = Kind::select;
  } else if (r.accept("LOCK")) {
    s.kind = Kind::lock_table;
    r.accept("TABLE");
    r.accept("TABLES");
    r.accept("ONLY");
    target();
  } else if (r.accept("CREATE")) {
    r.accept_all({"OR", "REPLACE"});
    while (r.accept("TEMP") || r.accept("TEMPORARY") || r.accept("UNLOGGED") || r.accept("GLOBAL") || r.accept("LOCAL")) {}
    if (r.accept("TABLE")) {
      s.kind = Kind::create_table;
      r.accept_all({"IF", "NOT", "EXISTS"});
      target();
    } else {
      r.accept("UNIQUE");
      r.accept("FULLTEXT");
      r.accept("SPATIAL");
      if (r.accept("INDEX")) {
        s.kind = Kind::create_index;
        if (r.accept("CONCURRENTLY")) s.concurrently = true;
        r.accept_all({"IF", "NOT", "EXISTS"});
        if (!r.is("ON")) {
          std::string index;
          shell::Span ignored;
          bool dyn = false;
          r.name(index, ignored, dyn);
        }
        if (r.accept("ON")) {
          r.accept("ONLY");
          target();
        }
      } else {
        s.kind = Kind::other;
      }
    }
  } else if (r.accept("DROP")) {
    if (r.accept("INDEX")) {
      s.kind = Kind::drop_index;
      if (r.accept("CONCURRENTLY")) s.concurrently = true;
      if (r.accept_all({"IF", "EXISTS"})) s.if_exists = true;
      target();
    } else if (r.accept("TABLE")) {
      s.kind = Kind::drop_table;
      if (r.accept_all({"IF", "EXISTS"})) s.if_exists = true;
      target();
    } else if (r.accept("SCHEMA")) {
      s.kind = Kind::drop_schema;
      if (r.accept_all({"IF", "EXISTS"})) s.if_exists = true;
      target();
    } else if (r.accept("DATABASE")) {
      s.kind = Kind::drop_database;
      if (r.accept_all({"IF", "EXISTS"})) s.if_exists = true;
      target();
    } else {
      s.kind = Kind::other;
    }
  } else if (r.accept("REINDEX")) {
    s.kind = Kind::reindex;
    if (r.is_punct("(")) {
      while (!r.done() && !r.is_punct(")")) r.skip();
      r.skip();
    }
    if (r.accept("INDEX") || r.accept("TABLE") || r.accept("SCHEMA") || r.accept("DATABASE") || r.accept("SYSTEM")) {}
    if (r.accept("CONCURRENTLY")) s.concurrently = true;
    target();
  } else if (r.accept("TRUNCATE")) {
    s.kind = Kind::truncate;
    r.accept("TABLE");
    r.accept("ONLY");
    target();
  } else if (r.accept("RENAME")) {
    s.kind = Kind::rename_table;
    r.accept("TABLE");
    target();
  } else if (r.accept("ALTER")) {
    if (r.accept("TABLE")) {
      s.kind = Kind::alter_table;
      if (r.accept_all({"IF", "EXISTS"})) s.if_exists = true;
      r.accept("ONLY");
      target();
      // Actions, split at top-level commas.
      std::vector<Token> action;
      int depth = 0;
      while (const Token* tok = r.peek()) {
        if (tok->kind == TokenKind::punct && tok->text == "(") ++depth;
        if (tok->kind == TokenKind::punct && tok->text == ")") --depth;
        if (depth == 0 && tok->kind == TokenKind::punct && tok->text == ",") {
          s.actions.push_back(analyse_action(std::move(action)));
          action.clear();
        } else {
          action.push_back(*tok);
        }
        r.skip();
      }
      if (!action.empty()) s.actions.push_back(analyse_action(std::move(action)));
      // MySQL's ALGORITHM= and LOCK= are options, not changes.
      std::erase_if(s.actions, [](const AlterAction& a) {
        return !a.tokens.empty() && (a.tokens[0].is("ALGORITHM") || a.tokens[0].is("LOCK"));
      });
    } else if (r.accept("TYPE")) {
      s.kind = Kind::alter_type;
      target();
    } else {
      s.kind = Kind::other;
    }
  } else if (r.is("INSERT") || r.is("UPDATE") || r.is("DELETE") || r.is("COPY") || r.is("MERGE") ||
             r.is("REPLACE") || r.is("WITH")) {
    s.kind = Kind::dml;
  }
  (void)dialect;
}

}  // namespace

bool Token::is(std::string_view keyword) const {
  if (kind != TokenKind::word || text.size() != keyword.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text::ascii_upper(text[i]) != keyword[i]) return false;
  }
  return true;
}

Script parse_sql(std::string_view text, const std::vector<uint32_t>& offsets, const LexOptions& options) {
  Script script = Lexer(text, offsets, options).run();
  for (Statement& s : script.statements) {
    if (s.kind != Kind::meta) analyse(s, options.dialect);
  }
  return script;
}

Dialect guess_dialect(std::string_view text) {
  if (text.find('`') != std::string_view::npos) return Dialect::mysql;
  const std::string u = upper(text.substr(0, 65536));
  for (std::string_view marker : {"ENGINE=", "ENGINE =", "AUTO_INCREMENT", "DELIMITER ", "ALGORITHM=", "ALGORITHM =",
                                  "GET_LOCK(", "LOCK_WAIT_TIMEOUT"}) {
    if (u.find(marker) != std::string::npos) return Dialect::mysql;
  }
  return Dialect::postgres;
}

}  // namespace pkgaudit::sql
