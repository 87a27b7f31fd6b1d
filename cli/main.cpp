// The command line only parses options, loads the configuration and calls
// the library. Every pkgaudit.toml key has a twin here; the command line
// wins over the file, the file over the defaults.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "pkgaudit/auditor.hpp"
#include "pkgaudit/config.hpp"

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

int fail(const std::string& message) {
  std::fprintf(stderr, "pkgaudit: %s\n", message.c_str());
  return kExitError;
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else out += c;
    }
  }
  return out;
}

// A report is written as it is rendered (it can run to hundreds of MiB). A
// regular file left half-written by a failure is removed, so no truncated
// SARIF is uploaded by a later CI step; a device (/dev/stdout, /dev/full)
// is left alone.
void remove_partial(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) std::filesystem::remove(path, ec);
}

int stream_output(const std::string& path, const std::function<bool(std::FILE*)>& write) {
  if (path.empty() || path == "-") {
    const bool ok = write(stdout) && std::fflush(stdout) == 0;
    return ok ? kExitClean : fail("writing the report to standard output failed");
  }
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return fail(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  bool ok = false;
  int error = 0;
  try {
    ok = write(file);
    error = errno;
  } catch (...) {
    std::fclose(file);
    remove_partial(path);
    throw;
  }
  if (std::fclose(file) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok) return kExitClean;
  remove_partial(path);
  return fail(fmt::format("{}: writing failed: {}", path, std::strerror(error)));
}

// Short output (rules, explain, config) to stdout.
int write_output(const std::string& text) {
  return stream_output("", [&](std::FILE* out) { return std::fwrite(text.data(), 1, text.size(), out) == text.size(); });
}

bool want_colour(const std::string& mode, bool to_stdout) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour && *no_colour) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return to_stdout && isatty(STDOUT_FILENO);
}

// Built-in rules and the configuration's custom ones (--config or ./pkgaudit.toml).
pkgaudit::Result<std::vector<pkgaudit::CustomRule>> custom_rules_of(std::string path) {
  if (path.empty() && std::filesystem::exists("pkgaudit.toml")) path = "pkgaudit.toml";
  if (path.empty()) return std::vector<pkgaudit::CustomRule>{};
  auto loaded = pkgaudit::load_config_file(path);
  if (!loaded) return loaded.error();
  return std::move(loaded.value().custom_rules);
}

int print_rules(const std::string& format, const std::vector<pkgaudit::RuleInfo>& catalogue) {
  std::string out;
  if (format == "json") {
    out += "[";
    bool first = true;
    for (const pkgaudit::RuleInfo& r : catalogue) {
      out += fmt::format("{}\n  {{\"id\": \"{}\", \"name\": \"{}\", \"level\": \"{}\", \"summary\": \"{}\", "
                         "\"fix\": \"{}\", \"security_severity\": {:.1f}}}",
                         first ? "" : ",", r.id, r.name, pkgaudit::level_name(r.level), json_escape(r.summary),
                         json_escape(r.fix), r.security_severity);
      first = false;
    }
    out += "\n]\n";
  } else if (format == "markdown") {
    out += "| id | name | level | finds |\n|---|---|---|---|\n";
    for (const pkgaudit::RuleInfo& r : catalogue) {
      out += fmt::format("| {} | {} | {} | {} |\n", r.id, r.name, pkgaudit::level_name(r.level), r.summary);
    }
  } else {
    out += fmt::format("{:<6} {:<26} {:<8} {}\n", "ID", "NAME", "LEVEL", "SUMMARY");
    for (const pkgaudit::RuleInfo& r : catalogue) {
      out += fmt::format("{:<6} {:<26} {:<8} {}\n", r.id, r.name, pkgaudit::level_name(r.level), r.summary);
    }
  }
  return write_output(out);
}

int explain(const std::string& id, const std::vector<pkgaudit::RuleInfo>& catalogue) {
  const pkgaudit::RuleInfo* rule = nullptr;
  for (const pkgaudit::RuleInfo& r : catalogue) {
    if (r.id == id) rule = &r;
  }
  if (!rule) return fail(fmt::format("unknown rule '{}'; `pkgaudit rules` lists every rule", id));
  std::string tags;
  for (std::string_view t : rule->tags) tags += fmt::format("{}{}", tags.empty() ? "" : ", ", t);
  if (!rule->id.starts_with("PA")) {  // a custom rule: its configuration is all there is to say
    return write_output(fmt::format("# {} {}\n\nLevel: {}. Tags: {}.\n\n{}\n", rule->id, rule->name,
                                        pkgaudit::level_name(rule->level), tags,
                                        rule->help.empty() ? rule->summary : rule->help));
  }
  return write_output(fmt::format("# {} {}\n\nLevel: {}. Tags: {}. Security severity: {:.1f}.\n\n{}\n{}\n\nFix: {}\n",
                                      rule->id, rule->name, pkgaudit::level_name(rule->level), tags,
                                      rule->security_severity, rule->summary, rule->help, rule->fix));
}

// Everything `scan` and `config --show` share: the configuration file and
// the command-line twins of its keys.
struct ConfigFlags {
  std::string config;
  std::vector<std::string> select, disable, levels, exclude, known_units, units_files, assume_locked, retired_hosts,
      allowed_hosts, ignore_hosts, extra_chain;
  std::string sql_dialect, trust_store, signature, verify_time;
  bool no_inline_ignore = false, resolve = false, require_signature = false;
  uint32_t jobs = 0;
  uint64_t batch_bytes = 0;
  // The [limits] twins, by key: each value goes through set_config_value,
  // so the command line and the file share one validation.
  static constexpr std::pair<const char*, const char*> kLimitFlags[] = {
      {"--max-entries", "entries"},
      {"--max-entry-bytes", "entry-bytes"},
      {"--max-total-bytes", "total-bytes"},
      {"--max-archive-bytes", "archive-bytes"},
      {"--max-parse-bytes", "parse-bytes"},
      {"--parse-timeout-ms", "parse-milliseconds"},
      {"--max-compression-ratio", "compression-ratio"},
      {"--max-compression-ratio-large", "compression-ratio-large"},
      {"--max-name-bytes", "name-bytes"},
      {"--max-path-depth", "path-depth"},
      {"--max-crontab-bytes", "crontab-bytes"},
      {"--run-timeout-s", "run-seconds"},
      {"--max-nesting-depth", "nesting-depth"},
  };
  std::map<std::string, std::string> limit_values;

  void add_to(CLI::App& app) {
    app.add_option("--config", config, "configuration file (default: ./pkgaudit.toml when present)");
    app.add_option("--select", select, "run only these rule ids or families, e.g. PA201,PA4 ([rules] select)")
        ->delimiter(',');
    app.add_option("--disable", disable, "do not run these rule ids or families ([rules] disable)")->delimiter(',');
    app.add_option("--level", levels, "ID=LEVEL: error, warning, note or none ([rules.level])")->delimiter(',');
    app.add_option("--exclude", exclude, "glob of package paths not to read ([scan] exclude)");
    app.add_flag("--no-inline-ignore", no_inline_ignore,
                 "ignore every `pkgaudit: ignore[...]` in the package: the reviewer's mode ([scan] inline-ignore = false)");
    app.add_option("--known-unit", known_units, "a unit the target host has ([target] units)");
    app.add_option("--units-file", units_files,
                   "the target host's units: one a line, or `systemctl list-unit-files` output ([target] units-file)");
    app.add_option("--sql-dialect", sql_dialect, "postgres or mysql for .sql files that do not say ([database] dialect)")
        ->check(CLI::IsMember({"postgres", "mysql"}));
    app.add_option("--assume-locked", assume_locked,
                   "glob of SQL files run under a migration lock pkgaudit cannot see ([database] assume-locked)");
    app.add_option("--retired-host", retired_hosts, "a retired host: name, glob, IP or CIDR range ([hosts] retired)");
    app.add_option("--allowed-host", allowed_hosts, "a host file transfers may go to ([hosts] allowed)");
    app.add_flag("--resolve", resolve, "look host names up; one that does not resolve is a finding ([hosts] resolve)");
    app.add_option("--side-effect-ignore-host", ignore_hosts,
                   "a host whose POST/PUT/DELETE calls are not side effects ([side-effects] ignore-hosts)");
    app.add_flag("--require-signature", require_signature, "an unsigned package is an error ([signing] require)");
    app.add_option("--trust-store", trust_store, "PEM roots, file or directory ([signing] trust-store)");
    app.add_option("--extra-chain", extra_chain, "untrusted intermediates from the vendor ([signing] extra-chain)");
    app.add_option("--signature", signature, "a detached CMS signature over the package (default: PACKAGE.zip.p7s or .sig)");
    app.add_option("--verify-time", verify_time,
                   "verify certificates at this time: seconds since the epoch or YYYY-MM-DDTHH:MM:SSZ (default: now)");
    for (const auto& [flag, key] : kLimitFlags) {
      const std::string dotted = fmt::format("limits.{}", key);
      app.add_option(flag, limit_values[key], fmt::format("{} ([limits] {})", pkgaudit::config_key_help(dotted), key))
          ->type_name("N");
    }
    app.add_option("--jobs,-j", jobs, "workers for parsing, rules and writing the report; 0: one per core ([scan] jobs)");
    app.add_option("--batch-bytes", batch_bytes, "script and SQL text parsed and checked at a time; bounds memory ([scan] batch-bytes)")
        ->type_name("N");
  }

  // File (explicit or ./pkgaudit.toml), then the command line on top.
  pkgaudit::Result<pkgaudit::Options> resolve_options(const CLI::App& app) const {
    pkgaudit::Options o;
    std::string path = config;
    if (path.empty() && std::filesystem::exists("pkgaudit.toml")) path = "pkgaudit.toml";
    if (!path.empty()) {
      auto loaded = pkgaudit::load_config_file(path);
      if (!loaded) return loaded.error();
      o = std::move(loaded).value();
    }
    auto given_flag = [&](const char* name) { return app.count(name) > 0; };
    for (const std::string& id : select) {
      if (!pkgaudit::is_rule_or_family(o, id)) return pkgaudit::Error{pkgaudit::ErrorCode::usage, fmt::format("--select: unknown rule '{}'", id)};
    }
    for (const std::string& id : disable) {
      if (!pkgaudit::is_rule_or_family(o, id)) return pkgaudit::Error{pkgaudit::ErrorCode::usage, fmt::format("--disable: unknown rule '{}'", id)};
    }
    if (given_flag("--select")) o.select = select;
    if (given_flag("--disable")) o.disable = disable;
    for (const std::string& pair : levels) {
      const size_t eq = pair.find('=');
      const auto level = eq == std::string::npos ? std::nullopt : pkgaudit::parse_level(pair.substr(eq + 1));
      const std::string id = eq == std::string::npos ? pair : pair.substr(0, eq);
      if (!level || !pkgaudit::is_rule_id(o, id)) {
        return pkgaudit::Error{pkgaudit::ErrorCode::usage,
                               fmt::format("--level {}: expected RULE=error|warning|note|none with a known rule", pair)};
      }
      o.levels[pair.substr(0, eq)] = *level;
    }
    if (given_flag("--exclude")) o.exclude = exclude;
    if (no_inline_ignore) o.inline_ignore = false;
    if (given_flag("--known-unit")) o.known_units = known_units;
    if (given_flag("--units-file")) o.units_files = units_files;
    if (given_flag("--sql-dialect")) o.sql_dialect = sql_dialect;
    if (given_flag("--assume-locked")) o.assume_locked = assume_locked;
    if (given_flag("--retired-host")) o.retired_hosts = retired_hosts;
    if (given_flag("--allowed-host")) o.allowed_hosts = allowed_hosts;
    if (resolve) o.resolve_hosts = true;
    if (given_flag("--side-effect-ignore-host")) o.side_effect_ignore_hosts = ignore_hosts;
    if (require_signature) o.require_signature = true;
    if (given_flag("--trust-store")) o.trust_store = trust_store;
    if (given_flag("--extra-chain")) o.extra_chain = extra_chain;
    if (given_flag("--signature")) o.signature_file = signature;
    if (given_flag("--verify-time")) {
      const auto t = parse_time(verify_time);
      if (!t) {
        return pkgaudit::Error{pkgaudit::ErrorCode::usage,
                               fmt::format("--verify-time {}: expected seconds since the epoch or YYYY-MM-DDTHH:MM:SSZ",
                                           verify_time)};
      }
      o.verify_time = *t;
    }
    for (const auto& [flag, key] : kLimitFlags) {
      if (!given_flag(flag)) continue;
      if (auto error = pkgaudit::set_config_value(o, fmt::format("limits.{}", key), limit_values.at(key))) {
        return pkgaudit::Error{pkgaudit::ErrorCode::usage, fmt::format("{}: {}", flag, error->message)};
      }
    }
    if (given_flag("--jobs")) o.jobs = jobs;
    if (given_flag("--batch-bytes")) o.batch_bytes = batch_bytes;
    return o;
  }

  static std::optional<int64_t> parse_time(const std::string& text) {
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoll(text);
    }
    std::tm tm{};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &sec) != 6) return std::nullopt;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return static_cast<int64_t>(timegm(&tm));
  }

};

// A progress line on a terminal, for big packages only; never in CI logs.
void progress_line(uint64_t done, uint64_t total, uint64_t bytes) {
  static uint64_t last = 0;
  if (total <= 200 || (done != total && done - last < 50)) return;
  last = done;
  std::fprintf(stderr, "\r\x1b[Kpkgaudit: %llu/%llu entries, %.1f MiB", static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total), static_cast<double>(bytes) / (1024.0 * 1024.0));
  if (done == total) std::fputs("\r\x1b[K", stderr);
}

}  // namespace

int main(int argc, char** argv) {
  // libzip converts every entry's DOS time with mktime() as it opens an
  // archive, and glibc, with TZ unset, stats /etc/localtime again on every
  // call: 50,000 calls for 50,000 entries, 0.07 s on the one thread that
  // opens the archive. Naming that file keeps local time what it was and
  // lets glibc read it once. A TZ the user set is left alone (the 0); the
  // library does not touch its host's environment, the command line may.
  setenv("TZ", ":/etc/localtime", 0);
  CLI::App app{"pkgaudit: static auditor for vendor upgrade packages", "pkgaudit"};
  app.require_subcommand(1);
  app.set_version_flag("--version", pkgaudit::version_string());

  std::string package, format = "text", output, fail_on = "warning", colour = "auto", baseline, write_baseline,
                       category, source_root;
  bool quiet = false, statistics = false;
  ConfigFlags scan_flags;
  CLI::App* scan = app.add_subcommand("scan", "Audit a package (a zip file or an unpacked directory)");
  scan->add_option("PACKAGE", package, "zip file or directory to audit")->required();
  scan->add_option("--format,-f", format, "report format")->check(CLI::IsMember({"text", "sarif", "json"}));
  scan->add_option("--output,-o", output, "write the report to FILE instead of standard output");
  scan->add_option("--fail-on", fail_on, "exit 1 when a finding is at or above this level")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  scan->add_option("--baseline", baseline, "earlier SARIF: mark findings new/unchanged/updated/absent; fail only on new");
  scan->add_option("--write-baseline", write_baseline, "also write this scan's SARIF to FILE, as the next baseline");
  scan->add_option("--category", category, "SARIF runAutomationDetails.id (one per analysis in code scanning)");
  scan->add_option("--source-root", source_root, "directory holding the unpacked package: SARIF PKGROOT points there");
  scan->add_flag("--quiet,-q", quiet, "text: findings only, one line each");
  scan->add_flag("--statistics", statistics, "text: counts per rule");
  scan->add_option("--color", colour, "colour in the text report")->check(CLI::IsMember({"auto", "always", "never"}));
  scan_flags.add_to(*scan);

  std::string rules_format = "text";
  CLI::App* rules = app.add_subcommand("rules", "List every rule");
  rules->add_option("--format,-f", rules_format, "table, JSON, or the README's markdown table")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  std::string rules_config;
  rules->add_option("--config", rules_config, "also list this configuration's custom rules (default: ./pkgaudit.toml when present)");

  std::string rule_id;
  CLI::App* explain_cmd = app.add_subcommand("explain", "Show the full help of one rule");
  explain_cmd->add_option("RULE", rule_id, "rule id, e.g. PA201")->required();
  explain_cmd->add_option("--config", rules_config, "configuration defining custom rules (default: ./pkgaudit.toml when present)");

  ConfigFlags config_flags;
  bool show = false;
  CLI::App* config_cmd = app.add_subcommand("config", "Work with the configuration");
  config_cmd->add_flag("--show", show, "print the effective configuration as TOML, defaults included")->required();
  config_flags.add_to(*config_cmd);

  CLI::App* version = app.add_subcommand("version", "Print the version");

  if (argc > 1 && argv[1][0] != '-') {
    const std::string_view command = argv[1];
    if (command != "scan" && command != "rules" && command != "explain" && command != "version" &&
        command != "config") {
      return fail(fmt::format("unknown command '{}'; commands are scan, rules, explain, config and version", command));
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(fmt::format("{} (see `pkgaudit --help`)", e.what()));
  }

  try {
    if (*version) {
      std::printf("pkgaudit %s\n", pkgaudit::version_string());
      return kExitClean;
    }
    if (*rules || *explain_cmd) {
      auto custom = custom_rules_of(rules_config);
      if (!custom) return fail(custom.error().message);
      const auto catalogue = pkgaudit::rule_catalogue(custom.value());
      return *rules ? print_rules(rules_format, catalogue) : explain(rule_id, catalogue);
    }
    if (*config_cmd) {
      auto options = config_flags.resolve_options(*config_cmd);
      if (!options) return fail(options.error().message);
      return write_output(pkgaudit::render_config(options.value()));
    }

    auto resolved = scan_flags.resolve_options(*scan);
    if (!resolved) return fail(resolved.error().message);
    pkgaudit::Options options = std::move(resolved).value();
    options.category = category;
    options.source_root = source_root;
    if (isatty(STDERR_FILENO) && !std::getenv("CI")) options.progress = progress_line;
    auto result = pkgaudit::audit_path(package, options);
    if (!result) return fail(result.error().message);
    pkgaudit::Report& report = result.value();
    if (!write_baseline.empty()) {
      const auto sarif = [&](std::FILE* out) { return pkgaudit::write_sarif(report, out) && std::fputc('\n', out) != EOF; };
      if (const int rc = stream_output(write_baseline, sarif); rc != kExitClean) return rc;
    }
    if (!baseline.empty()) {
      if (auto error = pkgaudit::apply_baseline(report, baseline)) return fail(error->message);
    }
    const pkgaudit::TextStyle style{.color = want_colour(colour, output.empty() || output == "-"),
                                    .quiet = quiet,
                                    .statistics = statistics};
    const auto render = [&](std::FILE* out) {
      if (format == "sarif") return pkgaudit::write_sarif(report, out) && std::fputc('\n', out) != EOF;
      if (format == "json") return pkgaudit::write_json(report, out) && std::fputc('\n', out) != EOF;
      return pkgaudit::write_text(report, style, out);
    };
    if (const int rc = stream_output(output, render); rc != kExitClean) return rc;
    const auto threshold = fail_on == "never" ? pkgaudit::Level::none : *pkgaudit::parse_level(fail_on);
    const int code = pkgaudit::has_findings_at_or_above(report, threshold) ? kExitFindings : kExitClean;
    // The report is written and the process ends here: freeing its findings
    // one by one would take a quarter of a second at 50,000 files, and the
    // system takes the memory back at once (as clang's -disable-free).
    std::exit(code);
  } catch (const std::exception& e) {
    return fail(fmt::format("internal error: {}", e.what()));
  }
}
