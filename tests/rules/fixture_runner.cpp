#include "fixture_runner.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "expectations.hpp"
#include "pkgaudit/auditor.hpp"
#include "pkgaudit/report.hpp"
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
  // Byte by byte: the names exactly as given, duplicates included.
  if (const std::string error = write_raw_zip(zip.path(), entries); !error.empty()) {
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

namespace {

// `# fixture-option: --known-unit X` and the like: the only configuration a
// fixture may set, each the twin of a command-line option.
void read_fixture_options(const std::string& content, Options& options) {
  const std::string marker = "fixture-option: --";
  for (size_t pos = content.find(marker); pos != std::string::npos; pos = content.find(marker, pos + 1)) {
    const size_t begin = pos + marker.size();
    const size_t eol = content.find('\n', begin);
    const std::string rest = content.substr(begin, eol == std::string::npos ? std::string::npos : eol - begin);
    const size_t space = rest.find(' ');
    const std::string name = rest.substr(0, space);
    const std::string value = space == std::string::npos ? std::string{} : rest.substr(space + 1);
    if (name == "known-unit") options.known_units.push_back(value);
    else if (name == "retired-host") options.retired_hosts.push_back(value);
    else if (name == "allowed-host") options.allowed_hosts.push_back(value);
    else if (name == "side-effect-ignore-host") options.side_effect_ignore_hosts.push_back(value);
    else if (name == "assume-locked") options.assume_locked.push_back(value);
    else if (name == "resolve") options.resolve_hosts = true;
    else if (name == "also") options.select.push_back(value);  // a helper rule; only the rule under test is compared
    else if (name == "max-parse-bytes") options.limits.parse_bytes = std::stoull(value);
    else if (name == "max-entry-bytes") options.limits.entry_bytes = std::stoull(value);
    else if (name == "parse-timeout-ms") options.limits.parse_milliseconds = static_cast<uint32_t>(std::stoul(value));
  }
}

}  // namespace

std::vector<std::string> run_package_fixture(const std::string& rule, const std::vector<FixtureFile>& files,
                                             bool expect_nothing) {
  std::vector<std::string> problems;
  std::vector<ZipEntrySpec> entries;
  std::map<std::string, std::vector<Expected>> expected;
  Options options;
  options.select = {rule};
  for (const FixtureFile& f : files) {
    std::vector<std::string> errors;
    expected[f.name] = parse_expectations(f.content, errors);
    const std::string where = files.size() == 1 ? std::string{} : f.name + ": ";
    for (const std::string& e : errors) problems.push_back(where + e);
    if (expect_nothing && !expected[f.name].empty()) problems.push_back(where + "an ok_ fixture must not expect findings");
    read_fixture_options(f.content, options);
    ZipEntrySpec entry;
    entry.name = f.name;
    entry.data = f.content;
    entries.push_back(std::move(entry));
  }
  TempZip zip;
  if (const std::string error = write_zip(zip.path(), entries); !error.empty()) {
    problems.push_back("cannot build the fixture zip: " + error);
    return problems;
  }
  auto report = audit_path(zip.path(), options);
  if (!report) {
    problems.push_back("audit failed: " + report.error().message);
    return problems;
  }
  // Each script in a batch of its own: what one script's rules see of
  // another (sourced values, SQL it runs, units) must not depend on batches.
  Options one_by_one = options;
  one_by_one.batch_bytes = 1;
  if (auto apart = audit_path(zip.path(), one_by_one); !apart || render_json(apart.value()) != render_json(report.value())) {
    problems.push_back("the report differs when each script is checked in a batch of its own (batch-bytes = 1)");
  }
  std::map<std::string, std::vector<Finding>> actual;
  for (const Finding& f : report.value().findings) {
    // Helper rules (`--also`) and suppressed findings are not what the fixture checks.
    if (f.rule_id != rule || f.suppressed) continue;
    actual[f.location.path].push_back(f);
  }
  for (const auto& [path, findings] : actual) {
    if (!expected.count(path)) {
      for (const Finding& f : findings) problems.push_back(fmt::format("unexpected {} in {}: {}", f.rule_id, path, f.message));
    }
  }
  for (const auto& [path, wanted] : expected) {
    const auto found = actual.count(path) ? actual[path] : std::vector<Finding>{};
    for (std::string& p : compare_findings(wanted, found)) {
      problems.push_back(files.size() == 1 ? std::move(p) : path + ": " + p);
    }
  }
  return problems;
}

std::vector<std::string> run_fixture(const std::string& rule, const std::string& name, const std::string& content) {
  return run_package_fixture(rule, {{name, content}}, fs::path(name).filename().string().starts_with("ok_"));
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
    std::string spec = line.substr(0, line.find("  #"));
    ZipEntrySpec entry;
    // `NAME -> TARGET` declares a symlink entry.
    if (const size_t arrow = spec.find(" -> "); arrow != std::string::npos) {
      entry.kind = ZipEntrySpec::symlink;
      entry.data = decode_escapes(spec.substr(arrow + 4));
      spec = spec.substr(0, arrow);
    } else {
      entry.data = "echo fixture\n";
    }
    const std::string raw = decode_escapes(spec);
    entry.name = raw;
    entries.push_back(entry);
    const auto normalised = source::normalise_entry_name(raw);
    // A name declared twice: findings go to the later line.
    line_of_path[normalised.name.empty() ? fmt::format("unnamed-entry-{}", entries.size() - 1) : normalised.name] =
        line_no;
  }
  auto report = audit_entries(rule, entries, problems);
  if (!report) {
    problems.push_back("audit failed: " + report.error().message);
    return problems;
  }
  std::vector<Finding> findings(report.value().findings.begin(), report.value().findings.end());
  for (Finding& f : findings) {
    const auto it = line_of_path.find(f.location.path);
    f.location.line = it == line_of_path.end() ? 0 : it->second;
    f.location.column = 0;
  }
  for (std::string& p : compare_findings(expected, findings)) problems.push_back(std::move(p));
  return problems;
}

}  // namespace pkgaudit::testing
