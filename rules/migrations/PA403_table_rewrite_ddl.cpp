#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "package/package.hpp"
#include "rules/migrations/ddl_facts.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Finds `ALTER TABLE` changes that rewrite a table or hold its lock while
scanning every row:

- `ADD COLUMN` with a volatile default (`random()`, `clock_timestamp()`,
  `gen_random_uuid()`, `uuid_generate_v4()`, `nextval()`, ...) or of type
  `serial`: every row is rewritten. (`now()` and `CURRENT_TIMESTAMP` are
  stable, not volatile: since PostgreSQL 11 they are evaluated once and
  need no rewrite, so they are not reported.)
- `ADD COLUMN ... NOT NULL` without a default: fails on a table with rows.
- `ALTER COLUMN ... TYPE` (MySQL `MODIFY`/`CHANGE`): rewrites the table and
  its indexes.
- `SET NOT NULL` without an earlier validated `CHECK (col IS NOT NULL)`:
  scans the whole table under an ACCESS EXCLUSIVE lock.
- `ADD CONSTRAINT` `FOREIGN KEY` or `CHECK` without `NOT VALID`: validates
  every row while holding the lock.
- `ADD UNIQUE`/`PRIMARY KEY` without `USING INDEX`: builds the index under
  an ACCESS EXCLUSIVE lock.
- MySQL `ALGORITHM=COPY`.

## Why is this bad?
A rewrite or a full scan under an exclusive lock takes time proportional to
the table: seconds on the vendor's test data, an outage on production.

## Example
```sql
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers;
```

## Use instead
```sql
ALTER TABLE orders ADD COLUMN total_v2 numeric(12,2);        -- backfill in batches, then switch
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;   -- SHARE UPDATE EXCLUSIVE: no write block
```
)md";

constexpr std::array<std::string_view, 10> kVolatile{"RANDOM",           "CLOCK_TIMESTAMP", "GEN_RANDOM_UUID",
                                                     "UUID_GENERATE_V4", "UUID_GENERATE_V1", "UUID_GENERATE_V1MC",
                                                     "TIMEOFDAY",        "NEXTVAL",         "UUID",
                                                     "RANDOM_BYTES"};

bool volatile_default(const sql::AlterAction& a) {
  return std::find(kVolatile.begin(), kVolatile.end(), a.default_function) != kVolatile.end();
}

// `ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID` and a VALIDATE after
// it, earlier in the same file, make SET NOT NULL a metadata change. Known
// for every file, table and column in one pass, as the offset in the file
// from which it holds (that of the check or of the first VALIDATE after it,
// whichever is later): looking back from each SET NOT NULL was quadratic in
// a file's statements.
class ValidatedNotNull {
 public:
  explicit ValidatedNotNull(const std::vector<model::ExecutedStatement>& sql) {
    struct Event {
      uint32_t at = 0;                       // the statement's offset
      const std::string* column = nullptr;   // null: a VALIDATE CONSTRAINT
    };
    std::map<std::pair<const model::File*, std::string_view>, std::vector<Event>> events;
    for (const model::ExecutedStatement& e : sql) {
      const sql::Statement& s = *e.statement;
      for (const sql::AlterAction& a : s.actions) {
        if (a.type == sql::AlterAction::validate_constraint) events[{e.file, s.table}].push_back({s.span.begin});
        if (a.type != sql::AlterAction::add_constraint || a.constraint_kind != "CHECK") continue;
        for (size_t i = 0; i + 3 < a.tokens.size(); ++i) {
          if (a.tokens[i].kind != sql::TokenKind::word && a.tokens[i].kind != sql::TokenKind::quoted_identifier) continue;
          if (a.tokens[i + 1].is("IS") && a.tokens[i + 2].is("NOT") && a.tokens[i + 3].is("NULL")) {
            events[{e.file, s.table}].push_back({s.span.begin, &a.tokens[i].text});
          }
        }
      }
    }
    for (const auto& [where, list] : events) {
      uint32_t validated = kNever;  // the least offset of a VALIDATE after the event
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if (!it->column) {
          validated = std::min(validated, it->at);
        } else if (validated != kNever) {
          uint32_t& from = from_.try_emplace({where.first, where.second, *it->column}, kNever).first->second;
          from = std::min(from, std::max(it->at, validated));
        }
      }
    }
  }

  bool holds(const model::ExecutedStatement& e, const std::string& column) const {
    const auto it = from_.find({e.file, e.statement->table, column});
    return it != from_.end() && it->second < e.statement->span.begin;
  }

 private:
  static constexpr uint32_t kNever = UINT32_MAX;
  std::map<std::tuple<const model::File*, std::string_view, std::string_view>, uint32_t> from_;
};

void check(const model::Package& package, FindingSink& sink) {
  const ValidatedNotNull validated_not_null(package.sql);
  for (const model::ExecutedStatement& e : package.sql) {
    const sql::Statement& s = *e.statement;
    if (s.kind != sql::Kind::alter_table || !migrations::is_ddl_on_existing_object(e)) continue;
    const std::string table = text::printable(s.table);
    const std::string what = migrations::describe(e);
    if (e.dialect == sql::Dialect::mysql && s.algorithm == "COPY") {
      sink.report(*e.file, s.span,
                  fmt::format("{} asks for ALGORITHM=COPY: MySQL copies all of {} while writes wait; use "
                              "ALGORITHM=INPLACE (or INSTANT), LOCK=NONE",
                              what, table));
    }
    for (const sql::AlterAction& a : s.actions) {
      const std::string column = text::printable(a.column);
      switch (a.type) {
        case sql::AlterAction::add_column:
          if (a.has_default && volatile_default(a)) {
            sink.report(*e.file, a.span,
                        fmt::format("{}: adding {} with the volatile default {}() rewrites every row of {} under {}; "
                                    "add the column without a default, set the default, then backfill in batches",
                                    what, column, a.default_function, table, migrations::lock_taken(e)));
          } else if (a.column_type == "SERIAL" || a.column_type == "BIGSERIAL" || a.column_type == "SMALLSERIAL") {
            sink.report(*e.file, a.span,
                        fmt::format("{}: a {} column takes its values from nextval(), a volatile default: every row of "
                                    "{} is rewritten under {}; add an identity or plain column and backfill",
                                    what, a.column_type, table, migrations::lock_taken(e)));
          } else if (a.not_null && !a.has_default && e.dialect == sql::Dialect::postgres) {
            sink.report(*e.file, a.span,
                        fmt::format("{}: adding {} as NOT NULL without a DEFAULT fails as soon as {} has a row; add "
                                    "it nullable (or with a constant default), backfill, then add the constraint",
                                    what, column, table));
          }
          break;
        case sql::AlterAction::change_type:
          sink.report(*e.file, a.span,
                      fmt::format("{}: changing the type of {} rewrites {} and all its indexes under {}; add a new "
                                  "column, backfill it in batches and switch over",
                                  what, column, table, migrations::lock_taken(e)));
          break;
        case sql::AlterAction::set_not_null:
          if (!validated_not_null.holds(e, a.column)) {
            sink.report(*e.file, a.span,
                        fmt::format("{}: SET NOT NULL on {} scans every row of {} under {}; first add CHECK ({} IS NOT "
                                    "NULL) NOT VALID and VALIDATE it, then SET NOT NULL is instant",
                                    what, column, table, migrations::lock_taken(e), column));
          }
          break;
        case sql::AlterAction::add_constraint:
          if ((a.constraint_kind == "FOREIGN KEY" || a.constraint_kind == "CHECK") && !a.not_valid &&
              e.dialect == sql::Dialect::postgres) {
            sink.report(*e.file, a.span,
                        fmt::format("{}: adding a {} constraint checks every row of {} while holding {}; add it NOT "
                                    "VALID, then VALIDATE CONSTRAINT separately",
                                    what, a.constraint_kind, table, migrations::lock_taken(e)));
          } else if ((a.constraint_kind == "UNIQUE" || a.constraint_kind == "PRIMARY KEY") && !a.using_index &&
                     e.dialect == sql::Dialect::postgres) {
            sink.report(*e.file, a.span,
                        fmt::format("{}: adding a {} constraint builds its index on {} under an ACCESS EXCLUSIVE lock; "
                                    "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX",
                                    what, a.constraint_kind, table));
          }
          break;
        default:
          break;
      }
    }
  }
}

}  // namespace

extern const Rule PA403_table_rewrite_ddl;
const Rule PA403_table_rewrite_ddl{
    {.id = "PA403",
     .name = "table-rewrite-ddl",
     .level = Level::warning,
     .summary = "DDL that rewrites or long-locks a table (volatile default, column type change, SET NOT NULL without a "
                "validated check)",
     .help = kHelp,
     .fix = "split the change: add nullable or NOT VALID, backfill or validate separately",
     .tags = {"migrations", "reliability"},
     .security_severity = 4.0},
    check};

}  // namespace pkgaudit::rules
