#include "package/shell_values.hpp"

#include <algorithm>
#include <cctype>

#include "package/package.hpp"

namespace pkgaudit::model {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::string static_path_tail(const shell::Word& w) {
  if (w.is_static) return w.text;
  std::string raw;
  for (char c : w.text) {
    if (c != '"') raw += c;
  }
  const size_t dollar = raw.rfind('$');
  if (dollar == std::string::npos) return {};
  size_t i = dollar + 1;
  if (i < raw.size() && raw[i] == '{') {
    const size_t close = raw.find('}', i);
    if (close == std::string::npos) return {};
    i = close + 1;
  } else {
    while (i < raw.size() && (std::isalnum(static_cast<unsigned char>(raw[i])) || raw[i] == '_')) ++i;
  }
  std::string tail = raw.substr(i);
  return tail.starts_with('/') && tail.find_first_of("$`*?[") == std::string::npos ? tail : std::string{};
}

ShellValues::ShellValues(const Package& package, const ScriptView& view) : package_(package) {
  // A crontab's environment lines apply to its commands.
  if (view.file->crontab) {
    for (const cron::EnvAssignment& env : view.file->crontab->environment) {
      owned_.push_back(std::make_unique<shell::Word>(shell::Word{env.value, true, {}, {}}));
      assignments_[env.name].push_back(owned_.back().get());
    }
  }
  collect(*view.script, 0);
}

void ShellValues::collect(const shell::ShellScript& script, int depth) {
  for (const shell::Assignment& a : script.assignments) {
    if (!a.command_prefix) assignments_[a.name].push_back(&a.value);
  }
  if (depth > 4) return;
  for (const shell::Command& c : script.commands) {
    if (!(c.has_name(".") || c.has_name("source")) || c.args.empty()) continue;
    const std::string path = static_path_tail(c.args[0]);
    const File* f = path.empty() ? nullptr : package_.resolve_path(path, FileKind::shell);
    if (!f || std::find(sourced_.begin(), sourced_.end(), f) != sourced_.end()) continue;
    const shell::ShellScript* sourced = package_.sourced_script(*f);
    if (!sourced) continue;
    sourced_.push_back(f);
    collect(*sourced, depth + 1);
  }
}

std::optional<std::string> ShellValues::variable(const std::string& name) const {
  const auto it = assignments_.find(name);
  if (it == assignments_.end() || it->second.size() != 1) return std::nullopt;
  const shell::Word& value = *it->second[0];
  if (value.is_static) return value.text;
  // `URL="https://${HOST}/x"`: resolvable when its parts are, a few levels deep.
  if (depth_ >= 8 || value.offsets.empty()) return std::nullopt;
  ++depth_;
  auto resolved = resolve(value);
  --depth_;
  return resolved;
}

std::optional<std::string> ShellValues::resolve(const shell::Word& word) const {
  if (word.is_static) return word.text;
  if (word.text.find('\x01') != std::string::npos) return std::nullopt;  // source text was cut
  // Re-read the source text: quotes, $NAME, ${NAME}, ${NAME:-default}.
  const std::string& raw = word.text;
  std::string out;
  size_t i = 0;
  char quote = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (quote == '\'') {
      if (c == '\'') quote = 0;
      else out += c;
      ++i;
      continue;
    }
    if (c == '\'' && !quote) {
      quote = '\'';
      ++i;
      continue;
    }
    if (c == '"') {
      quote = quote == '"' ? 0 : '"';
      ++i;
      continue;
    }
    if (c == '\\' && i + 1 < raw.size()) {
      out += raw[i + 1];
      i += 2;
      continue;
    }
    if (c == '`') return std::nullopt;
    if (c != '$') {
      out += c;
      ++i;
      continue;
    }
    // An expansion.
    if (i + 1 >= raw.size()) return std::nullopt;
    std::string name;
    std::optional<std::string> fallback;
    if (raw[i + 1] == '{') {
      const size_t close = raw.find('}', i + 2);
      if (close == std::string::npos) return std::nullopt;
      const std::string inner = raw.substr(i + 2, close - i - 2);
      size_t k = 0;
      while (k < inner.size() && name_char(inner[k])) ++k;
      name = inner.substr(0, k);
      const std::string rest = inner.substr(k);
      if (rest.starts_with(":-") || rest.starts_with("-")) {
        fallback = rest.substr(rest[0] == ':' ? 2 : 1);
      } else if (!rest.empty()) {
        return std::nullopt;  // ${X/a/b}, ${#X}, ...: not evaluated
      }
      i = close + 1;
    } else if (name_char(raw[i + 1]) && !std::isdigit(static_cast<unsigned char>(raw[i + 1]))) {
      size_t k = i + 1;
      while (k < raw.size() && name_char(raw[k])) ++k;
      name = raw.substr(i + 1, k - i - 1);
      i = k;
    } else {
      return std::nullopt;  // $(...), $1, $@, $$
    }
    if (name.empty()) return std::nullopt;
    const auto it = assignments_.find(name);
    if (it == assignments_.end()) {
      if (!fallback) return std::nullopt;
      if (fallback->find_first_of("$`") != std::string::npos) return std::nullopt;
      out += *fallback;
      continue;
    }
    const auto value = variable(name);
    if (!value) return std::nullopt;
    out += *value;
  }
  return out;
}

}  // namespace pkgaudit::model
