// pkgaudit.toml with toml++. The schema is the table below: one place that
// says which keys exist, their types, and where they land in Options, so
// loading, validation and `pkgaudit config --show` cannot disagree.
#include "pkgaudit/config.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "parse/shell/query.hpp"
#include "pkgaudit/rule_info.hpp"

namespace pkgaudit {
namespace {

namespace fs = std::filesystem;

enum class Type { string, strings, boolean, integer, rule_ids, level_table, path, paths };

struct Key {
  std::string_view section;
  std::string_view name;
  Type type;
  std::string_view help;
};

// Every key pkgaudit.toml may hold.
constexpr Key kKeys[] = {
    {"scan", "exclude", Type::strings, "globs over package paths that are not read"},
    {"scan", "inline-ignore", Type::boolean, "honour `# pkgaudit: ignore[...]` comments in the package"},
    {"scan", "jobs", Type::integer, "workers for parsing, rules and writing the report; 0: one per core"},
    {"scan", "batch-bytes", Type::integer, "script and SQL text parsed and checked at a time; bounds memory"},
    {"rules", "select", Type::rule_ids, "ids or families (PA4) to run; empty: all"},
    {"rules", "disable", Type::rule_ids, "ids or families not to run"},
    {"rules", "level", Type::level_table, "per-rule level: error, warning, note or none"},
    {"target", "units", Type::strings, "units the host being upgraded has"},
    {"target", "units-file", Type::paths, "files of the host's units (systemctl list-unit-files output)"},
    {"hosts", "retired", Type::strings, "retired hosts: names, globs, IPs, CIDR ranges"},
    {"hosts", "allowed", Type::strings, "hosts file transfers may go to"},
    {"hosts", "resolve", Type::boolean, "look host names up"},
    {"database", "dialect", Type::string, "postgres or mysql for .sql files that do not say"},
    {"database", "assume-locked", Type::strings, "globs of SQL files run under a lock pkgaudit cannot see"},
    {"side-effects", "ignore-hosts", Type::strings, "hosts whose POST/PUT/DELETE calls are not side effects"},
    {"signing", "require", Type::boolean, "a package without a signature is an error"},
    {"signing", "trust-store", Type::path, "PEM roots (file or directory); empty: the system's"},
    {"signing", "extra-chain", Type::paths, "untrusted intermediates from the vendor"},
    {"limits", "entries", Type::integer, "entries read from an archive"},
    {"limits", "entry-bytes", Type::integer, "uncompressed bytes per entry"},
    {"limits", "total-bytes", Type::integer, "uncompressed bytes per package"},
    {"limits", "archive-bytes", Type::integer, "largest archive opened, in bytes"},
    {"limits", "parse-bytes", Type::integer, "input to one parser"},
    {"limits", "parse-milliseconds", Type::integer, "parse time per file"},
    {"limits", "compression-ratio", Type::integer, "inflated bytes per compressed byte"},
    {"limits", "compression-ratio-large", Type::integer, "the same for entries over 1 MiB"},
    {"limits", "name-bytes", Type::integer, "length of an entry name"},
    {"limits", "path-depth", Type::integer, "directories in an entry's path"},
    {"limits", "crontab-bytes", Type::integer, "input to the crontab parser"},
    {"limits", "run-seconds", Type::integer, "reading and parsing the whole package"},
    {"limits", "nesting-depth", Type::integer, "archives inside archives that are opened"},
};

// Where each [limits] key lands in Limits: loading and `config --show` both
// read this table. Narrow fields are clamped to `max`.
struct LimitField {
  std::string_view name;
  uint64_t Limits::*wide = nullptr;
  uint32_t Limits::*narrow = nullptr;
  uint64_t max = UINT32_MAX;
  std::string_view comment = {};
};
const LimitField kLimitFields[] = {
    {"entries", &Limits::entries},
    {"entry-bytes", &Limits::entry_bytes},
    {"total-bytes", &Limits::total_bytes},
    {"archive-bytes", &Limits::archive_bytes},
    {"parse-bytes", &Limits::parse_bytes},
    {"parse-milliseconds", nullptr, &Limits::parse_milliseconds},
    {"compression-ratio", nullptr, &Limits::compression_ratio},
    {"compression-ratio-large", nullptr, &Limits::compression_ratio_large, UINT32_MAX, "  # entries over 1 MiB"},
    {"name-bytes", nullptr, &Limits::name_bytes},
    {"path-depth", nullptr, &Limits::path_depth},
    {"crontab-bytes", &Limits::crontab_bytes},
    {"run-seconds", nullptr, &Limits::run_seconds},
    // Each level of nesting is a level of recursion while reading.
    {"nesting-depth", nullptr, &Limits::nesting_depth, 64},
};

std::string where(const std::string& name, const toml::source_region& region) {
  return fmt::format("{}:{}:{}", name, region.begin.line, region.begin.column);
}

std::string expected(Type type) {
  switch (type) {
    case Type::string: return "a string";
    case Type::path: return "a path (string)";
    case Type::strings: return "an array of strings";
    case Type::paths: return "an array of paths (strings)";
    case Type::rule_ids: return "an array of rule ids or families (\"PA201\", \"PA4\")";
    case Type::boolean: return "true or false";
    case Type::integer: return "a non-negative integer";
    case Type::level_table: return "a table of rule ids to \"error\", \"warning\", \"note\" or \"none\"";
  }
  return "a value";
}

class Loader {
 public:
  Loader(std::string name, std::string base_dir, Options& out)
      : name_(std::move(name)), base_dir_(std::move(base_dir)), out_(out) {}

  std::optional<Error> load(const toml::table& root) {
    // Custom rules first: [rules] may name them wherever they are defined.
    if (const toml::node* custom = root.get("custom-rules")) {
      const auto* array = custom->as_array();
      if (!array) return fail(custom->source(), "custom-rules must be an array of tables: [[custom-rules]]");
      for (const toml::node& element : *array) {
        const auto* table = element.as_table();
        if (!table) return fail(element.source(), "custom-rules must be an array of tables: [[custom-rules]]");
        if (auto error = custom_rule(*table)) return error;
      }
    }
    for (const auto& [section_key, section_node] : root) {
      const std::string section(section_key.str());
      if (section == "custom-rules") continue;
      const auto* table = section_node.as_table();
      const bool known_section = std::any_of(std::begin(kKeys), std::end(kKeys), [&](const Key& k) { return k.section == section; });
      if (!known_section) {
        return fail(section_key.source(), fmt::format("unknown section [{}]; pkgaudit knows {}", section, sections()));
      }
      if (!table) return fail(section_node.source(), fmt::format("[{}] must be a table", section));
      for (const auto& [key_name, node] : *table) {
        const std::string key(key_name.str());
        const Key* spec = nullptr;
        for (const Key& k : kKeys) {
          if (k.section == section && k.name == key) spec = &k;
        }
        if (!spec) {
          return fail(key_name.source(), fmt::format("unknown key '{}' in [{}]; expected one of {}", key, section,
                                                     keys_of(section)));
        }
        if (auto error = apply(*spec, node)) return error;
      }
    }
    return std::nullopt;
  }

  // For set_config_value: errors carry the option's name, not a file position.
  std::optional<Error> apply_node(const Key& k, const toml::node& node) {
    plain_ = true;
    return apply(k, node);
  }

 private:
  Error fail(const toml::source_region& region, const std::string& message) const {
    if (plain_) return Error{ErrorCode::usage, fmt::format("{}: {}", name_, message)};
    return Error{ErrorCode::config, fmt::format("{}: {}", where(name_, region), message)};
  }

  static std::string sections() {
    std::string out;
    std::string_view last;
    for (const Key& k : kKeys) {
      if (k.section == last) continue;
      last = k.section;
      out += fmt::format("{}[{}]", out.empty() ? "" : ", ", k.section);
    }
    return out + ", [[custom-rules]]";
  }

  static std::string keys_of(std::string_view section) {
    std::string out;
    for (const Key& k : kKeys) {
      if (k.section == section) out += fmt::format("{}{}", out.empty() ? "" : ", ", k.name);
    }
    return out;
  }

  std::string resolve_path(const std::string& p) const {
    if (p.empty() || fs::path(p).is_absolute() || base_dir_.empty()) return p;
    return (fs::path(base_dir_) / p).lexically_normal().string();
  }

  std::optional<Error> strings(const Key& k, const toml::node& node, std::vector<std::string>& out, bool paths) {
    const auto* array = node.as_array();
    if (!array) return fail(node.source(), fmt::format("[{}] {} must be {}", k.section, k.name, expected(k.type)));
    out.clear();
    for (const auto& element : *array) {
      const auto* s = element.as_string();
      if (!s) return fail(element.source(), fmt::format("[{}] {} must be {}", k.section, k.name, expected(k.type)));
      out.push_back(paths ? resolve_path(s->get()) : s->get());
    }
    return std::nullopt;
  }

  std::optional<Error> apply(const Key& k, const toml::node& node) {
    const std::string id = fmt::format("{}.{}", k.section, k.name);
    auto type_error = [&] { return fail(node.source(), fmt::format("[{}] {} must be {}", k.section, k.name, expected(k.type))); };
    switch (k.type) {
      case Type::boolean: {
        const auto* b = node.as_boolean();
        if (!b) return type_error();
        if (id == "scan.inline-ignore") out_.inline_ignore = b->get();
        else if (id == "hosts.resolve") out_.resolve_hosts = b->get();
        else if (id == "signing.require") out_.require_signature = b->get();
        return std::nullopt;
      }
      case Type::string:
      case Type::path: {
        const auto* s = node.as_string();
        if (!s) return type_error();
        if (id == "database.dialect") {
          // Empty (what `config --show` prints by default): guess per file.
          if (!s->get().empty() && s->get() != "postgres" && s->get() != "mysql") {
            return fail(node.source(), "[database] dialect must be \"postgres\", \"mysql\" or \"\" (guess per file)");
          }
          out_.sql_dialect = s->get();
        } else if (id == "signing.trust-store") {
          out_.trust_store = resolve_path(s->get());
        }
        return std::nullopt;
      }
      case Type::integer: {
        const auto* i = node.as_integer();
        if (!i || i->get() < 0) return type_error();
        const auto v = static_cast<uint64_t>(i->get());
        if (id == "scan.jobs") {
          out_.jobs = static_cast<uint32_t>(std::min<uint64_t>(v, 1024));
          return std::nullopt;
        }
        if (id == "scan.batch-bytes") {
          out_.batch_bytes = v;
          return std::nullopt;
        }
        for (const LimitField& f : kLimitFields) {
          if (f.name != k.name) continue;
          if (f.wide) out_.limits.*f.wide = v;
          else out_.limits.*f.narrow = static_cast<uint32_t>(std::min(v, f.max));
        }
        return std::nullopt;
      }
      case Type::strings:
      case Type::paths: {
        std::vector<std::string>* target = nullptr;
        if (id == "scan.exclude") target = &out_.exclude;
        else if (id == "target.units") target = &out_.known_units;
        else if (id == "target.units-file") target = &out_.units_files;
        else if (id == "hosts.retired") target = &out_.retired_hosts;
        else if (id == "hosts.allowed") target = &out_.allowed_hosts;
        else if (id == "database.assume-locked") target = &out_.assume_locked;
        else if (id == "side-effects.ignore-hosts") target = &out_.side_effect_ignore_hosts;
        else if (id == "signing.extra-chain") target = &out_.extra_chain;
        // `units-file = "x"` is natural too: accept a single string.
        if (k.type == Type::paths && node.is_string()) {
          target->assign({resolve_path(node.as_string()->get())});
          return std::nullopt;
        }
        return strings(k, node, *target, k.type == Type::paths);
      }
      case Type::rule_ids: {
        std::vector<std::string>& target = k.name == "select" ? out_.select : out_.disable;
        if (auto error = strings(k, node, target, false)) return error;
        for (size_t i = 0; i < target.size(); ++i) {
          if (!is_rule_or_family(out_, target[i])) {
            return fail((*node.as_array())[i].source(),
                        fmt::format("unknown rule '{}' in [rules] {}; `pkgaudit rules` lists them", target[i], k.name));
          }
        }
        return std::nullopt;
      }
      case Type::level_table: {
        const auto* table = node.as_table();
        if (!table) return type_error();
        for (const auto& [rule, value] : *table) {
          const std::string rule_id(rule.str());
          if (!is_rule_id(out_, rule_id)) {
            return fail(value.source(), fmt::format("unknown rule '{}' in [rules.level]; `pkgaudit rules` lists them", rule_id));
          }
          const auto* s = value.as_string();
          const auto level = s ? parse_level(s->get()) : std::nullopt;
          if (!level) return fail(value.source(), fmt::format("[rules.level] {} must be \"error\", \"warning\", \"note\" or \"none\"", rule_id));
          out_.levels[rule_id] = *level;
        }
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  // One [[custom-rules]] table: every key checked, the query compiled, the
  // message's placeholders known, so a broken rule fails here and not later.
  std::optional<Error> custom_rule(const toml::table& t) {
    CustomRule rule;
    const std::string where_id = [&] {
      const auto* id = t.get_as<std::string>("id");
      return id ? fmt::format("[[custom-rules]] {}", id->get()) : std::string("[[custom-rules]]");
    }();
    auto text = [&](std::string_view key, std::string& into, bool required) -> std::optional<Error> {
      const toml::node* node = t.get(key);
      if (!node) {
        if (required) return fail(t.source(), fmt::format("{}: '{}' is required", where_id, key));
        return std::nullopt;
      }
      const auto* s = node->as_string();
      if (!s || (required && s->get().empty())) return fail(node->source(), fmt::format("{}: '{}' must be a non-empty string", where_id, key));
      into = s->get();
      return std::nullopt;
    };
    auto string_list = [&](const toml::node& node, std::string_view key, std::vector<std::string>& into) -> std::optional<Error> {
      if (const auto* s = node.as_string()) {
        into = {s->get()};
        return std::nullopt;
      }
      const auto* array = node.as_array();
      if (!array || array->empty()) return fail(node.source(), fmt::format("{}: '{}' must be a string or a non-empty array of strings", where_id, key));
      for (const toml::node& e : *array) {
        const auto* s = e.as_string();
        if (!s) return fail(e.source(), fmt::format("{}: '{}' must hold strings", where_id, key));
        into.push_back(s->get());
      }
      return std::nullopt;
    };
    static constexpr std::string_view kAllowed[] = {"id", "name", "level", "message", "help", "shell-query",
                                                    "command", "args", "unit-key", "host"};
    for (const auto& [k, v] : t) {
      if (std::find(std::begin(kAllowed), std::end(kAllowed), k.str()) == std::end(kAllowed)) {
        return fail(k.source(), fmt::format("{}: unknown key '{}'; expected id, name, level, message, help and one of "
                                            "shell-query, command (with args), unit-key, host", where_id, k.str()));
      }
    }
    if (auto e = text("id", rule.id, true)) return e;
    const bool id_ok = rule.id.size() >= 2 && rule.id[0] == 'X' &&
                       std::all_of(rule.id.begin() + 1, rule.id.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                       });
    if (!id_ok) {
      return fail(t.get("id")->source(), fmt::format("[[custom-rules]] id '{}' must start with X followed by letters or "
                                                     "digits (X001): built-in ids start with PA", rule.id));
    }
    for (const CustomRule& other : out_.custom_rules) {
      if (other.id == rule.id) return fail(t.get("id")->source(), fmt::format("{}: the id is defined twice", where_id));
    }
    if (auto e = text("name", rule.name, true)) return e;
    if (auto e = text("message", rule.message, true)) return e;
    if (auto e = text("help", rule.help, false)) return e;
    if (const toml::node* level = t.get("level")) {
      const auto* s = level->as_string();
      const auto parsed = s ? parse_level(s->get()) : std::nullopt;
      if (!parsed || *parsed == Level::none) {
        return fail(level->source(), fmt::format("{}: level must be \"error\", \"warning\" or \"note\"", where_id));
      }
      rule.level = *parsed;
    }
    int kinds = 0;
    std::vector<std::string> placeholders = {"path"};
    if (const toml::node* q = t.get("shell-query")) {
      ++kinds;
      rule.kind = CustomRule::Kind::shell_query;
      if (auto e = text("shell-query", rule.query, true)) return e;
      auto compiled = shell::ShellQuery::compile(rule.query);
      if (auto* error = std::get_if<shell::QueryError>(&compiled)) {
        return fail(q->source(), fmt::format("{} shell-query, line {}, column {} of the query: {}", where_id, error->line,
                                             error->column, error->message));
      }
      for (const std::string& name : std::get<shell::ShellQuery>(compiled).capture_names()) placeholders.push_back(name);
    }
    if (t.get("command")) {
      ++kinds;
      rule.kind = CustomRule::Kind::command;
      if (auto e = text("command", rule.command, true)) return e;
      if (const toml::node* args = t.get("args")) {
        if (auto e = string_list(*args, "args", rule.args)) return e;
      }
      placeholders.insert(placeholders.end(), {"command", "args", "arg"});
    } else if (const toml::node* args = t.get("args")) {
      return fail(args->source(), fmt::format("{}: 'args' goes with 'command'", where_id));
    }
    if (const toml::node* u = t.get("unit-key")) {
      ++kinds;
      rule.kind = CustomRule::Kind::unit_key;
      const auto* table = u->as_table();
      if (!table) return fail(u->source(), fmt::format("{}: unit-key must be a table: {{ section = \"Service\", key = \"User\", value = \"root\" }}", where_id));
      for (const auto& [k, v] : *table) {
        const auto* s = v.as_string();
        const std::string key(k.str());
        if ((key != "section" && key != "key" && key != "value") || !s) {
          return fail(k.source(), fmt::format("{}: unit-key takes section, key and value, each a string", where_id));
        }
        (key == "section" ? rule.section : key == "key" ? rule.key : rule.value) = s->get();
      }
      if (rule.section.empty() || rule.key.empty()) return fail(u->source(), fmt::format("{}: unit-key needs a section and a key", where_id));
      placeholders.insert(placeholders.end(), {"unit", "section", "key", "value"});
    }
    if (const toml::node* h = t.get("host")) {
      ++kinds;
      rule.kind = CustomRule::Kind::host;
      if (auto e = string_list(*h, "host", rule.hosts)) return e;
      placeholders.insert(placeholders.end(), {"host", "tool"});
    }
    if (kinds != 1) {
      return fail(t.source(), fmt::format("{}: needs exactly one of shell-query, command, unit-key, host (found {})", where_id, kinds));
    }
    const std::string_view message = rule.message;
    for (size_t open = message.find('{'); open != std::string_view::npos; open = message.find('{', open + 1)) {
      const size_t close = message.find('}', open);
      if (close == std::string_view::npos) break;
      const std::string name(message.substr(open + 1, close - open - 1));
      if (std::find(placeholders.begin(), placeholders.end(), name) == placeholders.end()) {
        std::string known;
        for (const std::string& p : placeholders) known += fmt::format("{}{{{}}}", known.empty() ? "" : ", ", p);
        return fail(t.get("message")->source(),
                    fmt::format("{}: the message uses {{{}}}, which a {} rule does not have; it can use {}", where_id,
                                name, custom_rule_kind_name(rule.kind), known));
      }
    }
    out_.custom_rules.push_back(std::move(rule));
    return std::nullopt;
  }

  std::string name_;
  std::string base_dir_;
  Options& out_;
  bool plain_ = false;
};

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    // TOML basic strings take no raw control characters but tab.
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string toml_array(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + toml_string(v[i]);
  return out + "]";
}

}  // namespace

Result<Options> load_config_text(std::string_view text, const std::string& name, const std::string& base_dir,
                                 Options base) {
  try {
    const toml::table root = toml::parse(text, name);
    Loader loader(name, base_dir, base);
    if (auto error = loader.load(root)) return *error;
    return base;
  } catch (const toml::parse_error& e) {
    return Error{ErrorCode::config, fmt::format("{}: {}", where(name, e.source()), e.description())};
  }
}

Result<Options> load_config_file(const std::string& path, Options base) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::config, fmt::format("{}: cannot read the configuration file", path)};
  std::stringstream text;
  text << in.rdbuf();
  return load_config_text(text.str(), path, fs::path(path).parent_path().string(), std::move(base));
}

std::string render_config(const Options& o) {
  std::string out = "# The effective pkgaudit configuration, defaults included.\n";
  out += fmt::format("\n[scan]\nexclude = {}\ninline-ignore = {}\njobs = {}  # 0: one per core\nbatch-bytes = {}\n",
                     toml_array(o.exclude), o.inline_ignore, o.jobs, o.batch_bytes);
  out += fmt::format("\n[rules]\nselect = {}\ndisable = {}\n", toml_array(o.select), toml_array(o.disable));
  out += "\n[rules.level]\n";
  for (const RuleInfo& r : rule_catalogue()) {
    const auto it = o.levels.find(std::string(r.id));
    out += fmt::format("{} = \"{}\"{}\n", r.id, level_name(it == o.levels.end() ? r.level : it->second),
                       it == o.levels.end() ? "  # default" : "");
  }
  out += fmt::format("\n[target]\nunits = {}\nunits-file = {}\n", toml_array(o.known_units), toml_array(o.units_files));
  out += fmt::format("\n[hosts]\nretired = {}\nallowed = {}\nresolve = {}\n", toml_array(o.retired_hosts),
                     toml_array(o.allowed_hosts), o.resolve_hosts);
  out += fmt::format("\n[database]\ndialect = {}  # empty: guess per file\nassume-locked = {}\n",
                     toml_string(o.sql_dialect), toml_array(o.assume_locked));
  out += fmt::format("\n[side-effects]\nignore-hosts = {}\n", toml_array(o.side_effect_ignore_hosts));
  out += fmt::format("\n[signing]\nrequire = {}\ntrust-store = {}  # empty: the system's trust store\nextra-chain = {}\n",
                     o.require_signature, toml_string(o.trust_store), toml_array(o.extra_chain));
  out += "\n[limits]\n";
  for (const LimitField& f : kLimitFields) {
    out += fmt::format("{} = {}{}\n", f.name, f.wide ? o.limits.*f.wide : o.limits.*f.narrow, f.comment);
  }
  for (const CustomRule& r : o.custom_rules) {
    out += fmt::format("\n[[custom-rules]]\nid = {}\nname = {}\nlevel = \"{}\"\nmessage = {}\n", toml_string(r.id),
                       toml_string(r.name), level_name(r.level), toml_string(r.message));
    if (!r.help.empty()) out += fmt::format("help = {}\n", toml_string(r.help));
    switch (r.kind) {
      case CustomRule::Kind::shell_query: out += fmt::format("shell-query = {}\n", toml_string(r.query)); break;
      case CustomRule::Kind::command:
        out += fmt::format("command = {}\nargs = {}\n", toml_string(r.command), toml_array(r.args));
        break;
      case CustomRule::Kind::unit_key:
        out += fmt::format("unit-key = {{ section = {}, key = {}, value = {} }}\n", toml_string(r.section),
                           toml_string(r.key), toml_string(r.value));
        break;
      case CustomRule::Kind::host: out += fmt::format("host = {}\n", toml_array(r.hosts)); break;
    }
  }
  return out;
}

std::string_view config_key_help(std::string_view key) {
  for (const Key& k : kKeys) {
    if (key.size() == k.section.size() + 1 + k.name.size() && key.starts_with(k.section) &&
        key[k.section.size()] == '.' && key.ends_with(k.name)) {
      return k.help;
    }
  }
  return {};
}

std::vector<std::string> config_keys() {
  std::vector<std::string> out;
  for (const Key& k : kKeys) out.push_back(fmt::format("{}.{}", k.section, k.name));
  return out;
}

std::optional<Error> set_config_value(Options& options, std::string_view key, std::string_view value) {
  const size_t dot = key.find('.');
  const Key* spec = nullptr;
  if (dot != std::string_view::npos) {
    for (const Key& k : kKeys) {
      if (k.section == key.substr(0, dot) && k.name == key.substr(dot + 1)) spec = &k;
    }
  }
  if (!spec) {
    std::string known;
    for (const Key& k : kKeys) known += fmt::format("{}{}.{}", known.empty() ? "" : ", ", k.section, k.name);
    return Error{ErrorCode::usage, fmt::format("unknown option '{}'; options are {}", key, known)};
  }
  // The value becomes the TOML node the file would hold, so both paths share
  // one validation: lists are comma-separated, rules.level is ID=LEVEL,...
  auto split = [&] {
    toml::array array;
    size_t begin = 0;
    while (begin <= value.size() && !value.empty()) {
      const size_t comma = std::min(value.find(',', begin), value.size());
      std::string item(value.substr(begin, comma - begin));
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) array.push_back(item);
      begin = comma + 1;
    }
    return array;
  };
  const std::string text(value);
  const std::string name = fmt::format("option {}", key);
  Loader loader(name, {}, options);
  switch (spec->type) {
    case Type::boolean:
      if (text == "true" || text == "1" || text == "yes") return loader.apply_node(*spec, toml::value<bool>(true));
      if (text == "false" || text == "0" || text == "no") return loader.apply_node(*spec, toml::value<bool>(false));
      return Error{ErrorCode::usage, fmt::format("{}: expected true or false, not '{}'", key, text)};
    case Type::integer: {
      char* end = nullptr;
      errno = 0;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno != 0 || v < 0) {
        return Error{ErrorCode::usage, fmt::format("{}: expected a non-negative integer, not '{}'", key, text)};
      }
      return loader.apply_node(*spec, toml::value<int64_t>(v));
    }
    case Type::string:
    case Type::path:
      return loader.apply_node(*spec, toml::value<std::string>(text));
    case Type::strings:
    case Type::paths:
    case Type::rule_ids:
      return loader.apply_node(*spec, split());
    case Type::level_table: {
      toml::table table;
      for (const auto& item : split()) {
        const std::string pair = item.value_or(std::string{});
        const size_t eq = pair.find('=');
        if (eq == std::string::npos) return Error{ErrorCode::usage, fmt::format("{}: expected ID=LEVEL, not '{}'", key, pair)};
        table.insert_or_assign(pair.substr(0, eq), pair.substr(eq + 1));
      }
      return loader.apply_node(*spec, table);
    }
  }
  return std::nullopt;
}

bool is_rule_id(const Options& options, std::string_view id) {
  return find_rule(id) || std::any_of(options.custom_rules.begin(), options.custom_rules.end(),
                                      [&](const CustomRule& r) { return r.id == id; });
}

bool is_rule_or_family(const Options& options, std::string_view id) {
  for (const CustomRule& r : options.custom_rules) {
    if (!id.empty() && r.id.starts_with(id)) return true;  // "X" selects every custom rule
  }
  for (const RuleInfo& r : rule_catalogue()) {
    if (r.id == id || (id.size() < r.id.size() && r.id.starts_with(id) && id.size() >= 3)) return true;
  }
  return false;
}

bool rule_selected(const Options& options, std::string_view id) {
  auto matches = [&](const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& entry) { return id.starts_with(entry); });
  };
  if (!options.select.empty() && !matches(options.select)) return false;
  return !matches(options.disable);
}

}  // namespace pkgaudit
