#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/migrations/ddl_facts.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Finds DDL on an existing table (`ALTER TABLE`, `CREATE INDEX`, `DROP`,
`RENAME`, `TRUNCATE`, `ALTER TYPE`, constraint changes) that runs with no
migration lock and no `lock_timeout` in effect. pkgaudit follows every SQL
session the package runs (a `.sql` file, `psql -c`/`-f`/heredoc/`<`,
`mysql -e`/`<`, `\i` includes) statement by statement and tracks:

- transactions: `BEGIN`/`START TRANSACTION`/`COMMIT`/`ROLLBACK`, `psql -1`;
- advisory locks: `pg_advisory_lock`, `pg_try_advisory_lock`,
  `pg_advisory_xact_lock` (inside a transaction) and their unlocks; MySQL
  `GET_LOCK()`/`RELEASE_LOCK()`, `LOCK TABLES`/`UNLOCK TABLES`;
- `LOCK TABLE ... IN ... MODE` inside a transaction;
- `SET lock_timeout`, `SET LOCAL lock_timeout`, MySQL
  `SET SESSION lock_wait_timeout` (a value of 0 turns it off);
- at shell level, a client run under `flock FILE cmd` or after `flock FD`
  in the same script;
- migration frameworks that take their own lock: when the package runs
  `flyway migrate`, `liquibase update`, `alembic upgrade`,
  `rails db:migrate`/`rake db:migrate` or Django's `migrate`, SQL files that
  no client in the package runs directly are taken as run by it, locked;
- `--assume-locked GLOB` for runners pkgaudit cannot see.

Tables created earlier in the same session are new: DDL on them is safe.

## Why is this bad?
On a live database, `ALTER TABLE` waits for its lock behind every running
query on the table, and every query that arrives after it waits behind it:
one slow report turns a millisecond migration into an outage. Two copies of
the migration racing each other (a retried deployment, two hosts) is worse.
A migration lock serialises the migrations, and `lock_timeout` makes a
blocked statement fail fast instead of queueing the whole application.

## Example
```sql
ALTER TABLE customers ADD COLUMN region text NOT NULL DEFAULT 'eu';
```

## Use instead
```sql
SELECT pg_advisory_lock(5001);
SET lock_timeout = '5s';
ALTER TABLE customers ADD COLUMN region text NOT NULL DEFAULT 'eu';
SELECT pg_advisory_unlock(5001);
```
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::ExecutedStatement& e : package.sql) {
    if (!migrations::is_ddl_on_existing_object(e)) continue;
    if (e.state.migration_lock() || e.state.lock_timeout()) continue;
    const sql::Statement& s = *e.statement;
    const std::string fix = e.dialect == sql::Dialect::mysql
                                ? "take SELECT GET_LOCK('migration', 60) and SET SESSION lock_wait_timeout = 5 first"
                                : "take SELECT pg_advisory_lock(...) and SET lock_timeout = '5s' first";
    sink.report(*e.file, s.span,
                fmt::format("{} takes {} on {} with no migration lock and no lock_timeout in effect: it waits behind "
                            "every running query on {} and blocks every query queued after it; {}",
                            migrations::describe(e), migrations::lock_taken(e), text::printable(s.table),
                            text::printable(s.table), fix));
  }
}

}  // namespace

extern const Rule PA401_unlocked_schema_ddl;
const Rule PA401_unlocked_schema_ddl{
    {.id = "PA401",
     .name = "unlocked-schema-ddl",
     .level = Level::error,
     .summary = "DDL executed with no migration lock (advisory lock, LOCK TABLE, lock_timeout, GET_LOCK, flock) held",
     .help = kHelp,
     .fix = "take an advisory lock and set lock_timeout before DDL on live tables",
     .tags = {"migrations", "reliability"},
     .security_severity = 5.0},
    check};

}  // namespace pkgaudit::rules
