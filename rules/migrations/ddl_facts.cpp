#include "rules/migrations/ddl_facts.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "text/utf8.hpp"

namespace pkgaudit::rules::migrations {

bool is_ddl_on_existing_object(const model::ExecutedStatement& e) {
  using sql::Kind;
  const sql::Statement& s = *e.statement;
  switch (s.kind) {
    case Kind::alter_table:
    case Kind::create_index:
    case Kind::drop_index:
    case Kind::reindex:
    case Kind::drop_table:
    case Kind::truncate:
    case Kind::rename_table:
    case Kind::alter_type:
      break;
    default:
      return false;
  }
  if (s.table_dynamic || e.table_is_new) return false;
  return true;
}

std::string lock_taken(const model::ExecutedStatement& e) {
  using sql::Kind;
  const sql::Statement& s = *e.statement;
  if (e.dialect == sql::Dialect::mysql) return "an exclusive metadata lock";
  switch (s.kind) {
    case Kind::create_index:
      return s.concurrently ? "a SHARE UPDATE EXCLUSIVE lock" : "a SHARE lock (writes blocked)";
    case Kind::drop_index:
    case Kind::reindex:
      return s.concurrently ? "a SHARE UPDATE EXCLUSIVE lock" : "an ACCESS EXCLUSIVE lock";
    case Kind::alter_table: {
      const bool all_validate = !s.actions.empty() && std::all_of(s.actions.begin(), s.actions.end(), [](auto& a) {
        return a.type == sql::AlterAction::validate_constraint;
      });
      if (all_validate) return "a SHARE UPDATE EXCLUSIVE lock";
      const bool all_fk = !s.actions.empty() && std::all_of(s.actions.begin(), s.actions.end(), [](auto& a) {
        return a.type == sql::AlterAction::add_constraint && a.constraint_kind == "FOREIGN KEY";
      });
      if (all_fk) return "a SHARE ROW EXCLUSIVE lock";
      return "an ACCESS EXCLUSIVE lock";
    }
    default:
      return "an ACCESS EXCLUSIVE lock";
  }
}

std::string describe(const model::ExecutedStatement& e) {
  std::string out = fmt::format("`{}`", text::printable(e.statement->summary));
  if (!e.origin.empty()) out += fmt::format(" (run by {})", e.origin);
  return out;
}

}  // namespace pkgaudit::rules::migrations
