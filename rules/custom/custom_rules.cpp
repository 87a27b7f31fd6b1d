#include "rules/custom/custom_rules.hpp"

#include <functional>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "package/endpoints.hpp"
#include "package/shell_values.hpp"
#include "parse/shell/query.hpp"
#include "rules/rule.hpp"
#include "text/glob.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

// A placeholder's value in a message: printable, and short enough that a
// 50 MB heredoc captured by a query cannot become a 50 MB message.
std::string shown(std::string_view value) {
  constexpr size_t kMax = 200;
  std::string out = text::printable(value.substr(0, kMax));
  if (value.size() > kMax) out += "...";
  return out;
}

using Lookup = std::function<std::optional<std::string>(std::string_view)>;

// `{name}` is replaced when `lookup` knows it; anything else stays as written
// (the configuration loader has already rejected unknown placeholders).
std::string fill(std::string_view message, const Lookup& lookup) {
  std::string out;
  for (size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '{') {
      const size_t close = message.find('}', i + 1);
      if (close != std::string_view::npos) {
        if (auto value = lookup(message.substr(i + 1, close - i - 1))) {
          out += shown(*value);
          i = close;
          continue;
        }
      }
    }
    out += message[i];
  }
  return out;
}

std::string_view base_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void run_query(const model::Package& package, const CustomRule& rule, FindingSink& sink) {
  auto compiled = shell::ShellQuery::compile(rule.query);
  if (!std::holds_alternative<shell::ShellQuery>(compiled)) return;  // rejected when the configuration was loaded
  const shell::ShellQuery& query = std::get<shell::ShellQuery>(compiled);
  const Limits& limits = package.options.limits;
  auto search = [&](const model::File& file, std::string_view text, const std::vector<uint32_t>& offsets) {
    std::vector<shell::QueryMatch> matches;
    const bool complete = query.run(text, offsets, limits, matches);
    for (const shell::QueryMatch& m : matches) {
      if (m.captures.empty()) continue;
      const shell::QueryCapture* at = &m.captures.front();
      for (const shell::QueryCapture& c : m.captures) {
        if (c.name == "finding") at = &c;
      }
      sink.report(file, at->span, fill(rule.message, [&](std::string_view name) -> std::optional<std::string> {
                    if (name == "path") return file.path;
                    for (const shell::QueryCapture& c : m.captures) {
                      if (c.name == name) return c.text;
                    }
                    return std::string{};  // an optional capture this match lacks
                  }));
    }
    if (!complete) {
      sink.report_file(file, fmt::format("the query of {} stopped at the {} ms limit; later matches are not reported",
                                         rule.id, limits.parse_milliseconds));
    }
  };
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (!file.audited || !file.content) continue;
    if (file.shell) search(file, *file.content, {});
    if (file.crontab) {
      for (const cron::Entry& entry : file.crontab->entries) {
        if (entry.shell) search(file, entry.command, entry.command_offsets.expand());
      }
    }
    if (file.unit) {
      for (const unit::ExecLine& exec : file.unit->exec) {
        const unit::Assignment& a = file.unit->assignments[exec.assignment];
        const size_t skip = std::min(exec.prefixes.size(), a.value.size());
        if (a.value_offsets.size() != a.value.size() + 1) continue;
        search(file, std::string_view(a.value).substr(skip), a.value_offsets.expand(skip));
      }
    }
  }
}

void run_command(const model::Package& package, const CustomRule& rule, FindingSink& sink) {
  for (const model::ScriptView& view : package.scripts) {
    for (const shell::Command& cmd : view.script->commands) {
      if (!cmd.name.is_static) continue;
      if (!text::wildcard_match(rule.command, cmd.name.text) && !text::wildcard_match(rule.command, base_name(cmd.name.text))) {
        continue;
      }
      std::string first;
      bool all = true;
      for (size_t g = 0; g < rule.args.size() && all; ++g) {
        bool found = false;
        for (const shell::Word& arg : cmd.args) {
          if (!text::wildcard_match(rule.args[g], arg.text)) continue;
          if (g == 0 && !found) first = arg.text;
          found = true;
        }
        all = found;
      }
      if (!all) continue;
      std::string args;
      for (const shell::Word& arg : cmd.args) args += (args.empty() ? "" : " ") + arg.text;
      sink.report(*view.file, cmd.span, fill(rule.message, [&](std::string_view name) -> std::optional<std::string> {
                    if (name == "path") return view.file->path;
                    if (name == "command") return cmd.name.text;
                    if (name == "args") return args;
                    if (name == "arg") return first;
                    return std::nullopt;
                  }));
    }
  }
}

void run_host(const model::Package& package, const CustomRule& rule, FindingSink& sink) {
  const auto& aliases = package.ssh_aliases;
  for (const model::ScriptView& view : package.scripts) {
    const model::ShellValues values(package, view);
    for (const shell::Command& cmd : view.script->commands) {
      for (const model::Endpoint& ep : model::endpoints_of(cmd, values, aliases)) {
        bool hit = false;
        for (const std::string& pattern : rule.hosts) hit = hit || model::host_matches(pattern, ep.host);
        if (!hit) continue;
        sink.report(*view.file, ep.word ? ep.word->span : cmd.span,
                    fill(rule.message, [&](std::string_view name) -> std::optional<std::string> {
                      if (name == "path") return view.file->path;
                      if (name == "host") return ep.host;
                      if (name == "tool") return ep.tool;
                      return std::nullopt;
                    }));
      }
    }
  }
}

void run_unit_key(const model::Package& package, const CustomRule& rule, FindingSink& sink) {
  for (const model::File* checked : package.checked) {
    const model::File& file = *checked;
    if (!file.unit) continue;
    for (const unit::Assignment& a : file.unit->assignments) {
      const std::string_view section = file.unit->section_of(a);
      if (!text::wildcard_match(rule.section, section) || !text::wildcard_match(rule.key, a.key)) continue;
      if (!rule.value.empty() && !text::wildcard_match(rule.value, a.value)) continue;
      const shell::Span span = a.value.empty() ? a.key_span : a.value_span;
      sink.report(file, span, fill(rule.message, [&](std::string_view name) -> std::optional<std::string> {
                    if (name == "path") return file.path;
                    if (name == "unit") return file.unit->name;
                    if (name == "section") return std::string(section);
                    if (name == "key") return a.key;
                    if (name == "value") return a.value;
                    return std::nullopt;
                  }));
    }
  }
}

}  // namespace

RuleInfo custom_rule_info(const CustomRule& rule) {
  std::string_view summary = rule.help.empty() ? std::string_view(rule.name) : std::string_view(rule.help);
  summary = summary.substr(0, summary.find('\n'));
  return RuleInfo{.id = rule.id,
                  .name = rule.name,
                  .level = rule.level,
                  .summary = summary,
                  .help = rule.help,
                  .fix = {},
                  .tags = {"custom"},
                  .security_severity = 0.0};
}

void run_custom_rules(const model::Package& package, const std::vector<const CustomRule*>& selected,
                      std::vector<Finding>& out) {
  for (const CustomRule* rule : selected) {
    const RuleInfo info = custom_rule_info(*rule);
    FindingSink sink(info, package, out);
    switch (rule->kind) {
      case CustomRule::Kind::shell_query: run_query(package, *rule, sink); break;
      case CustomRule::Kind::command: run_command(package, *rule, sink); break;
      case CustomRule::Kind::host: run_host(package, *rule, sink); break;
      case CustomRule::Kind::unit_key: run_unit_key(package, *rule, sink); break;
    }
  }
}

}  // namespace pkgaudit::rules
