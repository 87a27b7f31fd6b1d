#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/migrations/ddl_facts.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Finds `DROP TABLE`, `DROP SCHEMA`, `DROP DATABASE`, `TRUNCATE`,
`ALTER TABLE ... DROP COLUMN`, and renames of tables and columns
(`ALTER TABLE ... RENAME`, MySQL `RENAME TABLE`) on objects that existed
before the session.

## Why is this bad?
These have no data-level rollback: once the upgrade has run, the data is
gone or the name has changed, and the only way back is a snapshot restore,
which also throws away everything written since. They also break the
application's old version at once: during a rolling upgrade, or after an
application rollback, the old code still reads the dropped column or the
old table name.

## Example
```sql
DROP TABLE legacy_sync_state;
ALTER TABLE customers RENAME COLUMN fullname TO display_name;
```

## Use instead
Expand, then contract, in separate releases: add the new column or table,
write to both, switch reads, and drop the old one a release later, after a
backup. For a rename, add the new name as a view or generated column first.
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::ExecutedStatement& e : package.sql) {
    const sql::Statement& s = *e.statement;
    if (s.table_dynamic || e.table_is_new) continue;
    const std::string name = text::printable(s.table);
    const std::string what = migrations::describe(e);
    const std::string consequence = fmt::format(
        "it takes {} and has no data-level rollback: a snapshot restore is the only way back, and the "
        "application's old version breaks as soon as it runs; expand and contract over two releases instead",
        migrations::lock_taken(e));
    switch (s.kind) {
      case sql::Kind::drop_table:
        sink.report(*e.file, s.span, fmt::format("{} drops {} and its data: {}", what, name, consequence));
        continue;
      case sql::Kind::drop_schema:
      case sql::Kind::drop_database:
        sink.report(*e.file, s.span, fmt::format("{} drops {} and everything in it: {}", what, name, consequence));
        continue;
      case sql::Kind::truncate:
        sink.report(*e.file, s.span, fmt::format("{} deletes every row of {}: {}", what, name, consequence));
        continue;
      case sql::Kind::rename_table:
        sink.report(*e.file, s.span, fmt::format("{} renames {}: {}", what, name, consequence));
        continue;
      case sql::Kind::alter_table:
        break;
      default:
        continue;
    }
    for (const sql::AlterAction& a : s.actions) {
      if (a.type == sql::AlterAction::drop_column) {
        sink.report(*e.file, a.span,
                    fmt::format("{} drops column {} of {} and its data: {}", what, text::printable(a.column), name,
                                consequence));
      } else if (a.type == sql::AlterAction::rename_column) {
        sink.report(*e.file, a.span,
                    fmt::format("{} renames column {} of {}: {}", what, text::printable(a.column), name, consequence));
      } else if (a.type == sql::AlterAction::rename_table) {
        sink.report(*e.file, a.span, fmt::format("{} renames table {}: {}", what, name, consequence));
      }
    }
  }
}

}  // namespace

extern const Rule PA404_destructive_ddl;
const Rule PA404_destructive_ddl{
    {.id = "PA404",
     .name = "destructive-ddl",
     .level = Level::warning,
     .summary = "DROP TABLE, DROP COLUMN, TRUNCATE, renames: no data-level rollback",
     .help = kHelp,
     .fix = "expand and contract over two releases; back up before dropping",
     .tags = {"migrations", "data-loss"},
     .security_severity = 6.0},
    check};

}  // namespace pkgaudit::rules
