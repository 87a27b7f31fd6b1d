// Every SQL statement the package will run, with the locks in effect when
// it runs: `.sql` files, `psql -c`/`-f`/heredocs/`<` redirects, `mysql -e`
// and `mysql < file`, `\i` includes; each client invocation is one database
// session whose transactions, advisory locks, LOCK TABLE and lock_timeout
// are tracked statement by statement.
#pragma once

#include <deque>
#include <memory>
#include <string_view>
#include <string>
#include <vector>

#include "parse/sql/sql_script.hpp"

namespace pkgaudit::model {

struct File;
struct Package;

struct LockState {
  bool in_transaction = false;
  bool advisory = false;      // a session advisory lock or GET_LOCK / LOCK TABLES held
  bool xact_lock = false;     // pg_advisory_xact_lock or LOCK TABLE in the current transaction
  bool external = false;      // flock around the client, a migration framework, assume-locked
  std::string external_reason;
  bool timeout = false;       // lock_timeout (PostgreSQL) or lock_wait_timeout (MySQL) set
  bool local_timeout = false; // SET LOCAL lock_timeout in the current transaction

  bool migration_lock() const { return advisory || xact_lock || external; }
  bool lock_timeout() const { return timeout || local_timeout; }
};

struct ExecutedStatement {
  const File* file = nullptr;             // the file holding the statement's text
  const sql::Statement* statement = nullptr;
  sql::Dialect dialect = sql::Dialect::postgres;
  LockState state;                        // in effect when the statement runs
  bool table_is_new = false;              // created earlier in the same session
  std::string origin;                     // "psql -f in upgrade.sh:12"; empty for a file on its own
};

// SQL text that is not a file of its own (a `psql -c` string, a heredoc).
struct EmbeddedSql {
  const File* file = nullptr;
  sql::Script script;
};

struct SqlOptions {
  std::string dialect;                    // "", "postgres" or "mysql"
  std::vector<std::string> assume_locked; // globs over package paths
};

class SessionBuilder;
struct ScriptView;

// A `.sql` file's model; `dialect` is [database] dialect ("" guesses).
sql::Script parse_sql_file(std::string_view text, const std::string& dialect);

// The sessions are found run by run (package.hpp), and each statement is
// checked in the run of the file holding its text: a script's embedded SQL
// with its batch; a `.sql` file, which scripts of any batch may run, in a
// batch of its own after every session is known, with the least protected
// state any session ran it in.
class SqlSessions {
 public:
  SqlSessions(Package& package, const SqlOptions& options);
  ~SqlSessions();
  SqlSessions(const SqlSessions&) = delete;
  SqlSessions& operator=(const SqlSessions&) = delete;

  // The sessions the clients in `views` run.
  void add_sessions(const std::vector<ScriptView>& views);
  // Once every client is known: each `.sql` file no client runs is a
  // session on its own.
  void add_standalone();
  // Sets package.sql and package.embedded_sql to what package.checked
  // holds (in the final run, everything left), and releases what the last
  // run was handed.
  void hand_out();

 private:
  std::unique_ptr<SessionBuilder> builder_;
};

}  // namespace pkgaudit::model
