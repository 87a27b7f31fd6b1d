#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/migrations/ddl_facts.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
PostgreSQL: finds `CREATE INDEX`, `DROP INDEX` and `REINDEX` without
`CONCURRENTLY` on an existing table, and `CONCURRENTLY` inside a
transaction block (`BEGIN`, `psql -1`), where it fails. MySQL: finds
`CREATE INDEX` and `ALTER TABLE ... ADD INDEX` without
`ALGORITHM=INPLACE, LOCK=NONE`.

## Why is this bad?
A plain `CREATE INDEX` holds a SHARE lock for the whole build: on a large
table every insert, update and delete waits for minutes. `DROP INDEX` and
`REINDEX` take stronger locks still. `CREATE INDEX CONCURRENTLY` builds
without blocking writes, but PostgreSQL refuses to run it in a transaction.
In MySQL, without the explicit clauses the server may pick a copying,
write-blocking algorithm; with them it fails instead of blocking.

## Example
```sql
CREATE INDEX customers_region_idx ON customers (region);
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY customers_region_idx ON customers (region);
-- MySQL:
ALTER TABLE customers ADD INDEX customers_region_idx (region), ALGORITHM=INPLACE, LOCK=NONE;
```
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::ExecutedStatement& e : package.sql) {
    const sql::Statement& s = *e.statement;
    const bool index_ddl = s.kind == sql::Kind::create_index || s.kind == sql::Kind::drop_index ||
                           s.kind == sql::Kind::reindex;
    if (e.dialect == sql::Dialect::postgres) {
      if (!index_ddl) continue;
      if (s.concurrently) {
        if (e.state.in_transaction) {
          sink.report(*e.file, s.span,
                      fmt::format("{} uses CONCURRENTLY inside a transaction block: PostgreSQL rejects it (\"cannot "
                                  "run inside a transaction block\"); run it outside BEGIN/COMMIT and without psql -1",
                                  migrations::describe(e)));
        }
        continue;
      }
      if (!migrations::is_ddl_on_existing_object(e)) continue;
      const char* verb = s.kind == sql::Kind::create_index ? "CREATE INDEX CONCURRENTLY"
                         : s.kind == sql::Kind::drop_index ? "DROP INDEX CONCURRENTLY"
                                                           : "REINDEX ... CONCURRENTLY";
      sink.report(*e.file, s.span,
                  fmt::format("{} takes {} on {} for the whole operation: writes to {} wait until it finishes; use "
                              "{} (outside a transaction)",
                              migrations::describe(e), migrations::lock_taken(e), text::printable(s.table),
                              text::printable(s.table), verb));
      continue;
    }
    // MySQL online DDL.
    bool adds_index = s.kind == sql::Kind::create_index;
    for (const sql::AlterAction& a : s.actions) adds_index = adds_index || a.type == sql::AlterAction::add_index;
    if (!adds_index || !migrations::is_ddl_on_existing_object(e)) continue;
    if ((s.algorithm == "INPLACE" || s.algorithm == "INSTANT") && s.lock_clause == "NONE") continue;
    sink.report(*e.file, s.span,
                fmt::format("{} builds an index on {} without ALGORITHM=INPLACE, LOCK=NONE: MySQL may copy the table "
                            "or block writes for the whole build; add ALGORITHM=INPLACE, LOCK=NONE so it fails "
                            "instead of blocking",
                            migrations::describe(e), text::printable(s.table)));
  }
}

}  // namespace

extern const Rule PA402_blocking_index_build;
const Rule PA402_blocking_index_build{
    {.id = "PA402",
     .name = "blocking-index-build",
     .level = Level::warning,
     .summary = "CREATE INDEX without CONCURRENTLY (PostgreSQL) or without ALGORITHM=INPLACE, LOCK=NONE (MySQL)",
     .help = kHelp,
     .fix = "CREATE INDEX CONCURRENTLY outside a transaction; in MySQL add ALGORITHM=INPLACE, LOCK=NONE",
     .tags = {"migrations", "reliability"},
     .security_severity = 4.0},
    check};

}  // namespace pkgaudit::rules
