// Every SQL statement the package will run, with the locks in effect when
// it runs: `.sql` files, `psql -c`/`-f`/heredocs/`<` redirects, `mysql -e`
// and `mysql < file`, `\i` includes; each client invocation is one database
// session whose transactions, advisory locks, LOCK TABLE and lock_timeout
// are tracked statement by statement.
#pragma once

#include <deque>
#include <memory>
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

// The sessions are found run by run (package.hpp): each run's scripts add
// theirs, and each statement is checked in the run of the file holding its
// text, so a batch's embedded SQL goes with its batch while a `.sql` file
// run by scripts of many batches waits for the final run, with the least
// protected state any session ran it in.
class SqlSessions {
 public:
  SqlSessions(Package& package, const SqlOptions& options);
  ~SqlSessions();
  SqlSessions(const SqlSessions&) = delete;
  SqlSessions& operator=(const SqlSessions&) = delete;

  // Adds the sessions of package.scripts and sets package.sql and
  // package.embedded_sql to what package.checked holds. In the final run
  // (package.final_run), every `.sql` file no client ran is a session on
  // its own, and everything not yet handed out is.
  void add_run();

 private:
  std::unique_ptr<SessionBuilder> builder_;
};

}  // namespace pkgaudit::model
