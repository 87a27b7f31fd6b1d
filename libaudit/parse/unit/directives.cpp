#include "parse/unit/directives.hpp"

#include <algorithm>
#include <cctype>

namespace pkgaudit::data {
extern const char* const systemd_directives;
}  // namespace pkgaudit::data

namespace pkgaudit::unit {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

Directives::Directives() {
  std::string_view data = data::systemd_directives;
  std::string section;
  while (!data.empty()) {
    const size_t eol = data.find('\n');
    const std::string_view line = data.substr(0, eol);
    data = eol == std::string_view::npos ? std::string_view{} : data.substr(eol + 1);
    if (line.empty() || line.starts_with('#')) continue;
    if (line.starts_with('[') && line.ends_with(']')) {
      section = std::string(line.substr(1, line.size() - 2));
      sections_.insert(section);
      continue;
    }
    const size_t eq = line.find('=');
    keys_[section].emplace(std::string(line.substr(0, eq)),
                           eq == std::string_view::npos ? std::string{} : std::string(line.substr(eq + 1)));
  }
}

const Directives& Directives::get() {
  static const Directives instance;
  return instance;
}

std::optional<std::string_view> Directives::type_of(std::string_view section, std::string_view key) const {
  const auto s = keys_.find(section);
  if (s == keys_.end()) return std::nullopt;
  const auto k = s->second.find(key);
  if (k == s->second.end()) return std::nullopt;
  return std::string_view(k->second);
}

std::string Directives::suggest(std::string_view section, std::string_view key) const {
  const auto s = keys_.find(section);
  if (s == keys_.end()) return {};
  std::string best;
  size_t best_distance = 3;  // at most two edits away
  for (const auto& [candidate, type] : s->second) {
    const size_t d = edit_distance(key, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string_view section_for_type(std::string_view type) {
  if (type == "service") return "Service";
  if (type == "socket") return "Socket";
  if (type == "mount") return "Mount";
  if (type == "automount") return "Automount";
  if (type == "swap") return "Swap";
  if (type == "timer") return "Timer";
  if (type == "path") return "Path";
  if (type == "slice") return "Slice";
  if (type == "scope") return "Scope";
  return {};
}

}  // namespace pkgaudit::unit
