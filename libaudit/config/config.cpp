// pkgaudit.toml with toml++. The schema is the table below: one place that
// says which keys exist, their types, and where they land in Options, so
// loading, validation and `pkgaudit config --show` cannot disagree.
#include "pkgaudit/config.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

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
    {"scan", "jobs", Type::integer, "parse workers; 0: one per core"},
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
    {"limits", "archive-bytes", Type::integer, "size of an archive read into memory"},
    {"limits", "parse-bytes", Type::integer, "input to one parser"},
    {"limits", "parse-milliseconds", Type::integer, "parse time per file"},
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

bool known_rule_or_family(std::string_view id) {
  for (const RuleInfo& r : rule_catalogue()) {
    if (r.id == id || (id.size() < r.id.size() && r.id.starts_with(id) && id.size() >= 3)) return true;
  }
  return false;
}

class Loader {
 public:
  Loader(std::string name, std::string base_dir, Options& out)
      : name_(std::move(name)), base_dir_(std::move(base_dir)), out_(out) {}

  std::optional<Error> load(const toml::table& root) {
    for (const auto& [section_key, section_node] : root) {
      const std::string section(section_key.str());
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

 private:
  Error fail(const toml::source_region& region, const std::string& message) const {
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
    return out;
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
          if (s->get() != "postgres" && s->get() != "mysql") {
            return fail(node.source(), "[database] dialect must be \"postgres\" or \"mysql\"");
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
        Limits& l = out_.limits;
        if (k.name == "entries") l.entries = v;
        else if (k.name == "entry-bytes") l.entry_bytes = v;
        else if (k.name == "total-bytes") l.total_bytes = v;
        else if (k.name == "archive-bytes") l.archive_bytes = v;
        else if (k.name == "parse-bytes") l.parse_bytes = v;
        else if (k.name == "parse-milliseconds") l.parse_milliseconds = static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX));
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
          if (!known_rule_or_family(target[i])) {
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
          if (!find_rule(rule_id)) {
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

  std::string name_;
  std::string base_dir_;
  Options& out_;
};

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
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
  out += fmt::format("\n[scan]\nexclude = {}\ninline-ignore = {}\njobs = {}  # 0: one per core\n", toml_array(o.exclude),
                     o.inline_ignore, o.jobs);
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
  const Limits& l = o.limits;
  out += fmt::format(
      "\n[limits]\nentries = {}\nentry-bytes = {}\ntotal-bytes = {}\narchive-bytes = {}\nparse-bytes = {}\n"
      "parse-milliseconds = {}\n",
      l.entries, l.entry_bytes, l.total_bytes, l.archive_bytes, l.parse_bytes, l.parse_milliseconds);
  return out;
}

bool rule_selected(const Options& options, std::string_view id) {
  auto matches = [&](const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& entry) { return id.starts_with(entry); });
  };
  if (!options.select.empty() && !matches(options.select)) return false;
  return !matches(options.disable);
}

}  // namespace pkgaudit
