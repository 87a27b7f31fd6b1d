// Runs one rule over one fixture file, as clang-tidy's check_clang_tidy
// does: only that rule enabled, empty configuration, and the exact set of
// (line, column, rule) compared with the file's inline expectations.
#pragma once

#include <string>
#include <vector>

namespace pkgaudit::testing {

// `name` is the path the file has inside the package (it decides the
// classification); returns every mismatch, empty when the file agrees.
std::vector<std::string> run_fixture(const std::string& rule, const std::string& name, const std::string& content);

// A `.zipspec` fixture: one entry name per line (`\xHH` escapes allowed),
// an expectation after two spaces. Findings are matched to the line that
// declared the entry.
std::vector<std::string> run_zipspec_fixture(const std::string& rule, const std::string& content);

std::string read_file(const std::string& path);

}  // namespace pkgaudit::testing
