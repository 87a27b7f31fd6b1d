// Static values in shell: a variable assigned once with static text, in the
// script or in a package file it sources (`. ./etc/dten.env`, `source`),
// resolves to that text where it is used; `${X:-default}` gives the default
// when X is never assigned. Anything else stays dynamic and is never
// guessed. Shared by every rule that reads hosts, URLs, paths or units.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parse/shell/shell_model.hpp"

namespace pkgaudit::model {

struct File;
struct Package;
struct ScriptView;

// The static end of a path whose start is dynamic: "$HERE/sql/x.sql" gives
// "/sql/x.sql" (enough to find the package file); a static word is itself.
// Empty when nothing after the last expansion is a path.
std::string static_path_tail(const shell::Word& word);

class ShellValues {
 public:
  ShellValues(const Package& package, const ScriptView& view);

  // The word's value, or nullopt when any part of it is dynamic.
  std::optional<std::string> resolve(const shell::Word& word) const;
  // The value of one variable, or nullopt (assigned twice, dynamically, or never).
  std::optional<std::string> variable(const std::string& name) const;
  // Files sourced by the script that are in the package.
  const std::vector<const File*>& sourced() const { return sourced_; }

 private:
  void collect(const shell::ShellScript& script, int depth);
  std::map<std::string, std::vector<const shell::Word*>> assignments_;
  std::vector<const File*> sourced_;
  std::vector<std::unique_ptr<shell::Word>> owned_;  // crontab environment values
  const Package& package_;
  mutable int depth_ = 0;  // guards self-referential assignments (X="$X")
};

}  // namespace pkgaudit::model
