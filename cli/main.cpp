// The command line only parses options and calls the library.
#include <unistd.h>

#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "pkgaudit/auditor.hpp"

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

int write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return std::ferror(stdout) ? fail("writing the report to standard output failed") : kExitClean;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return fail(fmt::format("{}: cannot write the report: {}", path, std::strerror(errno)));
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return fail(fmt::format("{}: writing the report failed", path));
  return kExitClean;
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

int print_rules(const std::string& format) {
  std::string out;
  if (format == "json") {
    out += "[";
    bool first = true;
    for (const pkgaudit::RuleInfo& r : pkgaudit::rule_catalogue()) {
      out += fmt::format("{}\n  {{\"id\": \"{}\", \"name\": \"{}\", \"level\": \"{}\", \"summary\": \"{}\", "
                         "\"fix\": \"{}\", \"security_severity\": {:.1f}}}",
                         first ? "" : ",", r.id, r.name, pkgaudit::level_name(r.level), json_escape(r.summary),
                         json_escape(r.fix), r.security_severity);
      first = false;
    }
    out += "\n]\n";
  } else if (format == "markdown") {
    out += "| id | name | level | finds |\n|---|---|---|---|\n";
    for (const pkgaudit::RuleInfo& r : pkgaudit::rule_catalogue()) {
      out += fmt::format("| {} | {} | {} | {} |\n", r.id, r.name, pkgaudit::level_name(r.level), r.summary);
    }
  } else {
    out += fmt::format("{:<6} {:<22} {:<8} {}\n", "ID", "NAME", "LEVEL", "SUMMARY");
    for (const pkgaudit::RuleInfo& r : pkgaudit::rule_catalogue()) {
      out += fmt::format("{:<6} {:<22} {:<8} {}\n", r.id, r.name, pkgaudit::level_name(r.level), r.summary);
    }
  }
  return write_output("", out);
}

int explain(const std::string& id) {
  const pkgaudit::RuleInfo* rule = pkgaudit::find_rule(id);
  if (!rule) return fail(fmt::format("unknown rule '{}'; `pkgaudit rules` lists every rule", id));
  std::string tags;
  for (std::string_view t : rule->tags) tags += fmt::format("{}{}", tags.empty() ? "" : ", ", t);
  return write_output("", fmt::format("# {} {}\n\nLevel: {}. Tags: {}. Security severity: {:.1f}.\n\n{}\n{}\n\nFix: {}\n",
                                      rule->id, rule->name, pkgaudit::level_name(rule->level), tags,
                                      rule->security_severity, rule->summary, rule->help, rule->fix));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pkgaudit: static auditor for vendor upgrade packages", "pkgaudit"};
  app.require_subcommand(1);
  app.set_version_flag("--version", pkgaudit::version_string());

  std::string package, format = "text", output, fail_on = "warning", colour = "auto";
  std::vector<std::string> select, disable, known_units, units_files, assume_locked, retired_hosts, allowed_hosts,
      ignore_hosts;
  bool resolve = false;
  std::string sql_dialect;
  CLI::App* scan = app.add_subcommand("scan", "Audit a package (a zip file or an unpacked directory)");
  scan->add_option("PACKAGE", package, "zip file or directory to audit")->required();
  scan->add_option("--format,-f", format, "report format")->check(CLI::IsMember({"text", "sarif", "json"}));
  scan->add_option("--output,-o", output, "write the report to FILE instead of standard output");
  scan->add_option("--fail-on", fail_on, "exit 1 when a finding is at or above this level")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  scan->add_option("--select", select, "run only these rule ids (repeatable, comma-separated)")->delimiter(',');
  scan->add_option("--disable", disable, "do not run these rule ids (repeatable, comma-separated)")->delimiter(',');
  scan->add_option("--known-unit", known_units, "a unit the target host has (repeatable)");
  scan->add_option("--units-file", units_files,
                   "file of the target host's units: one a line, or `systemctl list-unit-files` output");
  scan->add_option("--sql-dialect", sql_dialect, "SQL dialect when a file does not say (default: guess)")
      ->check(CLI::IsMember({"postgres", "mysql"}));
  scan->add_option("--assume-locked", assume_locked,
                   "glob of SQL files applied under a migration lock pkgaudit cannot see (repeatable)");
  scan->add_option("--retired-host", retired_hosts,
                   "a retired host: name, glob (*.old.example.com), IP or CIDR range (repeatable)");
  scan->add_option("--allowed-host", allowed_hosts,
                   "a host file transfers may go to; when given, any other is a finding (repeatable)");
  scan->add_flag("--resolve", resolve, "look host names up; a name that does not resolve is a finding");
  scan->add_option("--side-effect-ignore-host", ignore_hosts,
                   "a host whose POST/PUT/DELETE calls are not irreversible side effects (repeatable)");
  scan->add_option("--color", colour, "colour in the text report")->check(CLI::IsMember({"auto", "always", "never"}));

  std::string rules_format = "text";
  CLI::App* rules = app.add_subcommand("rules", "List every rule");
  rules->add_option("--format,-f", rules_format, "table, JSON, or the README's markdown table")
      ->check(CLI::IsMember({"text", "json", "markdown"}));

  std::string rule_id;
  CLI::App* explain_cmd = app.add_subcommand("explain", "Show the full help of one rule");
  explain_cmd->add_option("RULE", rule_id, "rule id, e.g. PA201")->required();

  CLI::App* version = app.add_subcommand("version", "Print the version");

  if (argc > 1 && argv[1][0] != '-') {
    const std::string_view command = argv[1];
    if (command != "scan" && command != "rules" && command != "explain" && command != "version") {
      return fail(fmt::format("unknown command '{}'; commands are scan, rules, explain and version", command));
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
    if (*rules) return print_rules(rules_format);
    if (*explain_cmd) return explain(rule_id);

    pkgaudit::Options options;
    for (const std::string& id : select) {
      if (!pkgaudit::find_rule(id)) return fail(fmt::format("--select: unknown rule '{}'", id));
    }
    for (const std::string& id : disable) {
      if (!pkgaudit::find_rule(id)) return fail(fmt::format("--disable: unknown rule '{}'", id));
    }
    options.select = select;
    options.disable = disable;
    options.known_units = known_units;
    options.units_files = units_files;
    options.sql_dialect = sql_dialect;
    options.assume_locked = assume_locked;
    options.retired_hosts = retired_hosts;
    options.allowed_hosts = allowed_hosts;
    options.resolve_hosts = resolve;
    options.side_effect_ignore_hosts = ignore_hosts;
    auto result = pkgaudit::audit_path(package, options);
    if (!result) return fail(result.error().message);
    const pkgaudit::Report& report = result.value();
    std::string text;
    if (format == "sarif") text = pkgaudit::render_sarif(report) + "\n";
    else if (format == "json") text = pkgaudit::render_json(report) + "\n";
    else text = pkgaudit::render_text(report, {.color = want_colour(colour, output.empty() || output == "-")});
    if (const int rc = write_output(output, text); rc != kExitClean) return rc;
    const auto threshold = fail_on == "never" ? pkgaudit::Level::none : *pkgaudit::parse_level(fail_on);
    return pkgaudit::has_findings_at_or_above(report, threshold) ? kExitFindings : kExitClean;
  } catch (const std::exception& e) {
    return fail(fmt::format("internal error: {}", e.what()));
  }
}
