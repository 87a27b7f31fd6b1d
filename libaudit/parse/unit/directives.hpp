// The sections and keys systemd accepts, with the value type its parser
// uses (BOOLEAN, SECONDS, SERVICETYPE, ...): libaudit/data/systemd-directives.txt.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pkgaudit::unit {

class Directives {
 public:
  static const Directives& get();
  bool has_section(std::string_view section) const { return sections_.count(section) > 0; }
  // The value type, or nullopt for a key the section does not have.
  std::optional<std::string_view> type_of(std::string_view section, std::string_view key) const;
  // The closest known key in the section, for "did you mean".
  std::string suggest(std::string_view section, std::string_view key) const;

 private:
  Directives();
  std::set<std::string, std::less<>> sections_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> keys_;
};

// Unit types and the section each one has for its own settings.
std::string_view section_for_type(std::string_view type);

}  // namespace pkgaudit::unit
