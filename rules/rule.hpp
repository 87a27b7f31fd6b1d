// What a rule is: its metadata (the single source of every doc a user reads)
// and a check over the const package model.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "package/package.hpp"
#include "pkgaudit/finding.hpp"
#include "pkgaudit/rule_info.hpp"

namespace pkgaudit::rules {

// Turns (file, span, message) into a Finding with an exact location.
class FindingSink {
 public:
  FindingSink(const RuleInfo& rule, const model::Package& package, std::vector<Finding>& out)
      : rule_(rule), package_(package), out_(out) {}

  // A finding over `span` of a parsed file. When cron or a unit runs the
  // file, the cron line or Exec*= line is attached as a related location.
  void report(const model::File& file, shell::Span span, std::string message);
  // A finding about the file as a whole (its name, its presence).
  void report_file(const model::File& file, std::string message, std::optional<Level> level = std::nullopt);
  // A finding about the package as a whole (its signature, or the lack of
  // one): located at the archive, or at the package directory.
  void report_package(std::string message, std::optional<Level> level = std::nullopt);
  // A finding on a given line of a file.
  void report_line(const model::File& file, uint32_t line, std::string message);
  // Adds a related location to the finding reported last.
  void relate(const model::File& file, shell::Span span, std::string message);

 private:
  const RuleInfo& rule_;
  const model::Package& package_;
  std::vector<Finding>& out_;
};

struct Rule {
  RuleInfo info;
  void (*check)(const model::Package& package, FindingSink& sink);
  // Runs after inline suppressions are applied (PA001 reads what they did).
  bool after_suppressions = false;
  // Runs once, in the final run, over `package.files` as a whole (names,
  // duplicates, signatures): it must not need a script's command view,
  // released by then. Other rules run in every run, over `package.checked`.
  bool whole_package = false;
  // Reads neither package.sql nor package.embedded_sql, so it runs while the
  // batch's SQL sessions are still being found. Left false, a rule waits for
  // them: slower, never wrong.
  bool before_sessions = false;
};

// The registry (rules/registry.cpp): every rule, sorted by id.
std::span<const Rule* const> registry();

// Location of `span` in `file`, snippet included.
Location locate(const model::File& file, shell::Span span);

}  // namespace pkgaudit::rules
