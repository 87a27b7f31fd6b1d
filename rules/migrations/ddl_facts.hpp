// What the migration rules share: which statements are DDL on an existing
// table, the lock each takes, and how to name a statement in a message.
#pragma once

#include <string>

#include "package/sql_sessions.hpp"

namespace pkgaudit::rules::migrations {

// DDL that acts on a table (or type) which exists before the session.
bool is_ddl_on_existing_object(const model::ExecutedStatement& e);

// "ACCESS EXCLUSIVE", "SHARE", ... (PostgreSQL) or "a metadata lock" (MySQL).
std::string lock_taken(const model::ExecutedStatement& e);

// `ALTER TABLE customers ADD COLUMN ...` (in psql in upgrade.sh:12)
std::string describe(const model::ExecutedStatement& e);

}  // namespace pkgaudit::rules::migrations
