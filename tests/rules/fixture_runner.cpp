#include "fixture_runner.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "expectations.hpp"
#include "pkgaudit/auditor.hpp"
#include "source/entry_name.hpp"
#include "zip_writer.hpp"

namespace pkgaudit::testing {
namespace fs = std::filesystem;
namespace {

// A zip in a private temporary file, removed afterwards.
class TempZip {
 public:
  TempZip() {
    char tmpl[] = "/tmp/pkgaudit-fixture-XXXXXX";
    const int fd = mkstemp(tmpl);
    if (fd >= 0) close(fd);
    path_ = tmpl;
  }
  ~TempZip() { std::error_code ec; fs::remove(path_, ec); }
  TempZip(const TempZip&) = delete;
  TempZip& operator=(const TempZip&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<Report> audit_entries(const std::string& rule, const std::vector<ZipEntrySpec>& entries,
                             std::vector<std::string>& problems) {
  TempZip zip;
  if (const std::string error = write_zip(zip.path(), entries); !error.empty()) {
    problems.push_back("cannot build the fixture zip: " + error);
    return Error{ErrorCode::io, error};
  }
  Options options;
  options.select = {rule};
  return audit_path(zip.path(), options);
}

std::string decode_escapes(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 2, 2)), nullptr, 16));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

std::vector<std::string> run_fixture(const std::string& rule, const std::string& name, const std::string& content) {
  std::vector<std::string> problems;
  const std::vector<Expected> expected = parse_expectations(content, problems);
  if (fs::path(name).filename().string().starts_with("ok_") && !expected.empty()) {
    problems.push_back("an ok_ fixture must not expect findings");
  }
  ZipEntrySpec entry;
  entry.name = name;
  entry.data = content;
  auto report = audit_entries(rule, {entry}, problems);
  if (!report) {
    problems.push_back("audit failed: " + report.error().message);
    return problems;
  }
  for (std::string& p : compare_findings(expected, report.value().findings)) problems.push_back(std::move(p));
  return problems;
}

std::vector<std::string> run_zipspec_fixture(const std::string& rule, const std::string& content) {
  std::vector<std::string> problems;
  const std::vector<Expected> expected = parse_expectations(content, problems);
  std::vector<ZipEntrySpec> entries;
  std::map<std::string, uint32_t> line_of_path;
  std::istringstream lines(content);
  std::string line;
  uint32_t line_no = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.empty() || line.starts_with('#')) continue;
    const std::string raw = decode_escapes(line.substr(0, line.find("  #")));
    ZipEntrySpec entry;
    entry.name = raw;
    entry.data = "echo fixture\n";
    entries.push_back(entry);
    const auto normalised = source::normalise_entry_name(raw);
    line_of_path[normalised.name.empty() ? fmt::format("unnamed-entry-{}", entries.size() - 1) : normalised.name] =
        line_no;
  }
  auto report = audit_entries(rule, entries, problems);
  if (!report) {
    problems.push_back("audit failed: " + report.error().message);
    return problems;
  }
  std::vector<Finding> findings = report.value().findings;
  for (Finding& f : findings) {
    const auto it = line_of_path.find(f.location.path);
    f.location.line = it == line_of_path.end() ? 0 : it->second;
    f.location.column = 0;
  }
  for (std::string& p : compare_findings(expected, findings)) problems.push_back(std::move(p));
  return problems;
}

}  // namespace pkgaudit::testing
