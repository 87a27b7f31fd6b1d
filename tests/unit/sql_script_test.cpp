#include <doctest/doctest.h>

#include "parse/sql/sql_script.hpp"

using namespace pkgaudit;
using sql::Kind;

namespace {
sql::Script parse(std::string_view text, sql::Dialect d = sql::Dialect::postgres) {
  sql::LexOptions o;
  o.dialect = d;
  return sql::parse_sql(text, {}, o);
}
}  // namespace

TEST_CASE("statements split at semicolons outside strings, comments, dollar quotes") {
  const auto s = parse("SELECT ';'; /* ; */ SELECT $$;$$; -- ;\nSELECT E'\\';'; SELECT \"a;b\"\n");
  REQUIRE(s.statements.size() == 4);
  CHECK_FALSE(s.error.has_value());
  CHECK(s.statements[0].tokens[1].text == ";");
  CHECK(s.statements[1].tokens[1].text == ";");
  CHECK(s.statements[2].tokens[1].text == "';");
  CHECK(s.statements[3].tokens[1].kind == sql::TokenKind::quoted_identifier);
}

TEST_CASE("statement kinds and targets") {
  const auto s = parse(
      "BEGIN; START TRANSACTION; COMMIT; ROLLBACK; SET LOCAL lock_timeout = '1s'; RESET lock_timeout;"
      "LOCK TABLE a IN SHARE MODE; CREATE TABLE IF NOT EXISTS s.b (x int); CREATE UNIQUE INDEX CONCURRENTLY i ON c (x);"
      "DROP INDEX CONCURRENTLY IF EXISTS i; REINDEX TABLE d; ALTER TABLE ONLY \"E\" ADD COLUMN x int;"
      "ALTER TYPE t ADD VALUE 'v'; DROP TABLE f; DROP SCHEMA g; TRUNCATE TABLE h; INSERT INTO i VALUES (1);"
      "SELECT pg_advisory_lock(1);");
  const std::vector<Kind> kinds{Kind::begin,       Kind::begin,       Kind::commit,     Kind::rollback,
                                Kind::set,         Kind::reset,       Kind::lock_table, Kind::create_table,
                                Kind::create_index, Kind::drop_index, Kind::reindex,    Kind::alter_table,
                                Kind::alter_type,  Kind::drop_table,  Kind::drop_schema, Kind::truncate,
                                Kind::dml,         Kind::select};
  REQUIRE(s.statements.size() == kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) {
    INFO(i);
    CHECK(s.statements[i].kind == kinds[i]);
  }
  CHECK(s.statements[4].local);
  CHECK(s.statements[4].setting == "lock_timeout");
  CHECK(s.statements[7].table == "b");
  CHECK(s.statements[8].concurrently);
  CHECK(s.statements[8].table == "c");
  CHECK(s.statements[11].table == "E");
  CHECK(s.statements[17].functions == std::vector<std::string>{"PG_ADVISORY_LOCK"});
}

TEST_CASE("ALTER TABLE actions") {
  const auto s = parse(
      "ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT gen_random_uuid(), DROP COLUMN b, ALTER COLUMN c TYPE text,"
      " ALTER d SET NOT NULL, ADD CONSTRAINT fk FOREIGN KEY (x) REFERENCES u NOT VALID, VALIDATE CONSTRAINT fk,"
      " RENAME COLUMN e TO f;");
  REQUIRE(s.statements.size() == 1);
  const auto& a = s.statements[0].actions;
  REQUIRE(a.size() == 7);
  CHECK(a[0].type == sql::AlterAction::add_column);
  CHECK(a[0].not_null);
  CHECK(a[0].default_function == "GEN_RANDOM_UUID");
  CHECK(a[1].type == sql::AlterAction::drop_column);
  CHECK(a[1].column == "b");
  CHECK(a[2].type == sql::AlterAction::change_type);
  CHECK(a[3].type == sql::AlterAction::set_not_null);
  CHECK(a[4].type == sql::AlterAction::add_constraint);
  CHECK(a[4].constraint_kind == "FOREIGN KEY");
  CHECK(a[4].not_valid);
  CHECK(a[5].type == sql::AlterAction::validate_constraint);
  CHECK(a[6].type == sql::AlterAction::rename_column);
}

TEST_CASE("MySQL: # comments, backticks, backslash strings, DELIMITER") {
  const auto s = parse(
      "# comment;\nALTER TABLE `a b` ADD COLUMN `c` int, ALGORITHM=INPLACE, LOCK=NONE;\nSELECT 'it\\'s';\n"
      "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nSELECT 3;\n",
      sql::Dialect::mysql);
  CHECK_FALSE(s.error.has_value());
  REQUIRE(s.statements.size() == 4);
  CHECK(s.statements[0].table == "a b");
  CHECK(s.statements[0].algorithm == "INPLACE");
  CHECK(s.statements[0].lock_clause == "NONE");
  REQUIRE(s.statements[0].actions.size() == 1);
  CHECK(s.statements[2].tokens[0].is("CREATE"));
  CHECK_FALSE(s.statements[2].tokens[0].is("CREAT"));
  CHECK_FALSE(s.statements[3].tokens[1].is("3"));  // a number, not a word
  CHECK(s.statements[3].tokens[1].text == "3");
  CHECK(sql::guess_dialect("ALTER TABLE `x` ADD y int;") == sql::Dialect::mysql);
  CHECK(sql::guess_dialect("ALTER TABLE x ADD y int;") == sql::Dialect::postgres);
}

TEST_CASE("psql meta-commands and variables") {
  const auto s = parse("\\set ON_ERROR_STOP on\n\\i 'other file.sql'\nSELECT :'v', :v::int;\n");
  REQUIRE(s.statements.size() == 3);
  CHECK(s.statements[0].kind == Kind::meta);
  CHECK(s.statements[1].meta == "\\i");
  CHECK(s.statements[1].meta_argument == "other file.sql");
  CHECK(s.statements[2].tokens[1].kind == sql::TokenKind::dynamic);
}

TEST_CASE("positions are mapped through offsets") {
  // As if the SQL sat at offset 100 of a shell file.
  const std::string text = "SELECT 1;\nDROP TABLE t;";
  std::vector<uint32_t> offsets;
  for (uint32_t i = 0; i <= text.size(); ++i) offsets.push_back(100 + i);
  sql::LexOptions o;
  const auto s = sql::parse_sql(text, offsets, o);
  REQUIRE(s.statements.size() == 2);
  CHECK(s.statements[1].span.begin == 110);
}

TEST_CASE("lexer robustness: unterminated constructs report their opening, never hang") {
  struct Case {
    std::string text;
    uint32_t at;
  };
  const Case cases[] = {{"SELECT 'abc", 7},         {"SELECT E'abc\\'", 7}, {"/* x /* y */", 0},
                        {"SELECT $$ abc", 7},       {"SELECT $t$ abc $$", 7}, {"SELECT \"abc", 7},
                        {std::string(100000, '('), 0}};
  for (const Case& c : cases) {
    const auto s = parse(c.text);
    if (c.text[0] == '(') {
      CHECK_FALSE(s.error.has_value());
      continue;
    }
    INFO(c.text);
    REQUIRE(s.error.has_value());
    CHECK(s.error->span.begin == c.at);
  }
  const auto m = parse("SELECT `x", sql::Dialect::mysql);
  REQUIRE(m.error.has_value());
  CHECK(m.error->span.begin == 7);
}

TEST_CASE("keywords in any case; upper-cased names of types, functions and defaults") {
  const auto s = parse("alter table t add column a timestamptz not null default now(), algorithm=inplace;\n"
                       "Select pg_advisory_lock(1);\n",
                       sql::Dialect::postgres);
  REQUIRE(s.statements.size() == 2);
  CHECK(s.statements[0].kind == sql::Kind::alter_table);
  REQUIRE(s.statements[0].actions.size() == 1);
  const sql::AlterAction& a = s.statements[0].actions[0];
  CHECK(a.type == sql::AlterAction::add_column);
  CHECK(a.not_null);
  CHECK(a.has_default);
  CHECK(a.default_function == "NOW");
  CHECK(a.column_type == "TIMESTAMPTZ");
  CHECK(s.statements[0].algorithm == "INPLACE");
  CHECK(s.statements[1].kind == sql::Kind::select);
  CHECK(s.statements[1].functions == std::vector<std::string>{"PG_ADVISORY_LOCK"});
}
