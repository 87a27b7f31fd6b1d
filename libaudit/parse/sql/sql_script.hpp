// SQL as PostgreSQL (psql) and MySQL read it: a lexer that knows comments
// (nested in PostgreSQL, `#` in MySQL), strings with their escapes, E''
// strings, dollar quoting, quoted identifiers, psql meta-commands and
// variables, MySQL DELIMITER; a splitter into statements; and for each
// statement its kind, target table and the facts the migration rules need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/shell/shell_model.hpp"

namespace pkgaudit::sql {

enum class Dialect { postgres, mysql };
const char* dialect_name(Dialect d) noexcept;

enum class TokenKind {
  word,               // identifier or keyword
  quoted_identifier,  // "x" or `x`: text holds the name without quotes
  string,             // 'x', E'x', $$x$$: text holds the contents
  number,
  punct,              // ( ) , . = :: and the like
  dynamic,            // a psql variable (:v) or a shell expansion ($v) in a heredoc
};

struct Token {
  TokenKind kind = TokenKind::word;
  std::string text;
  shell::Span span;   // file coordinates
  // A word that is `keyword` (given in upper case), in any case. Compared,
  // not held upper-cased: a batch of SQL files is a million tokens.
  bool is(std::string_view keyword) const;
};

enum class Kind {
  begin, commit, rollback, savepoint,
  set, reset,
  select, lock_table,
  create_table, create_index, drop_index, reindex,
  alter_table, alter_type,
  drop_table, drop_schema, drop_database, truncate, rename_table,
  meta,               // psql backslash command: \i, \c, \set ...
  dml,                // INSERT, UPDATE, DELETE, COPY
  other,
};

// One change inside ALTER TABLE.
struct AlterAction {
  enum Type {
    add_column, drop_column, change_type, set_not_null, drop_not_null, set_default, drop_default,
    add_constraint, validate_constraint, drop_constraint, rename_table, rename_column, add_index,
    other,
  } type = other;
  shell::Span span;                 // the action's tokens
  std::string column;
  std::vector<Token> tokens;        // the action's tokens
  bool not_null = false;            // ADD COLUMN ... NOT NULL
  bool has_default = false;         // ADD COLUMN ... DEFAULT
  std::string default_function;     // uppercased function name in DEFAULT f(...), if any
  std::string column_type;          // ADD COLUMN type, uppercased first word
  std::string constraint_kind;      // FOREIGN KEY, CHECK, UNIQUE, PRIMARY KEY
  bool not_valid = false;
  bool using_index = false;
};

struct Statement {
  Kind kind = Kind::other;
  shell::Span span;
  std::vector<Token> tokens;
  std::string summary;              // the statement's start, whitespace collapsed, for messages
  std::string table;                // target, last name part, lowercased unless quoted
  shell::Span table_span;
  bool table_dynamic = false;       // the target is a variable: never guessed
  bool concurrently = false;
  bool if_exists = false;
  std::vector<AlterAction> actions;
  // SET / RESET
  std::string setting;              // lowercased: lock_timeout, statement_timeout, lock_wait_timeout
  std::string value;
  bool local = false;
  // Functions called (uppercased), for advisory locks and GET_LOCK.
  std::vector<std::string> functions;
  // MySQL online DDL clauses, uppercased: ALGORITHM=INPLACE, LOCK=NONE.
  std::string algorithm;
  std::string lock_clause;
  // psql meta-command: "\i", with its argument.
  std::string meta;
  std::string meta_argument;
  shell::Span meta_argument_span;
};

struct LexError {
  shell::Span span;                 // the opening quote, comment or dollar tag
  std::string message;
};

struct Script {
  Dialect dialect = Dialect::postgres;
  std::vector<Statement> statements;
  std::optional<LexError> error;
};

struct LexOptions {
  Dialect dialect = Dialect::postgres;
  bool shell_expansions = false;    // text from an unquoted heredoc: `$x` is dynamic
};

// `offsets` gives the file offset of each byte of `text` (plus the end);
// empty means the text is the file itself.
Script parse_sql(std::string_view text, const std::vector<uint32_t>& offsets, const LexOptions& options);

// A guess from the text alone: backticks, ENGINE=, DELIMITER, AUTO_INCREMENT
// and `#` comments say MySQL; otherwise PostgreSQL.
Dialect guess_dialect(std::string_view text);

}  // namespace pkgaudit::sql
