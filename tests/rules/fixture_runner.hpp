// Runs one rule over one fixture file, as clang-tidy's check_clang_tidy
// does: only that rule enabled, empty configuration, and the exact set of
// (line, column, rule) compared with the file's inline expectations.
#pragma once

#include <string>
#include <vector>

namespace pkgaudit::testing {

struct FixtureFile {
  std::string name;     // the path inside the package (it decides the classification)
  std::string content;
};

// `name` is the path the file has inside the package; returns every
// mismatch, empty when the file agrees. A line `# fixture-option: --known-unit X`
// adds X to the target inventory (the only configuration a fixture may set).
std::vector<std::string> run_fixture(const std::string& rule, const std::string& name, const std::string& content);

// A package of several files (a fixture directory): each file's inline
// expectations are compared with the findings in that file.
std::vector<std::string> run_package_fixture(const std::string& rule, const std::vector<FixtureFile>& files,
                                             bool expect_nothing);

// A `.zipspec` fixture: one entry name per line (`\xHH` escapes allowed),
// an expectation after two spaces. Findings are matched to the line that
// declared the entry.
std::vector<std::string> run_zipspec_fixture(const std::string& rule, const std::string& content);

std::string read_file(const std::string& path);

}  // namespace pkgaudit::testing
