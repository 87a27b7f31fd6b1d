// Which units a command names: `systemctl restart a b`, `service x start`,
// `invoke-rc.d x restart`, `deb-systemd-invoke restart x`, `journalctl -u x`,
// `update-rc.d x defaults`. Verbs that take no unit (`daemon-reload`,
// `list-units`) name none.
#pragma once

#include <string>
#include <vector>

#include "parse/shell/shell_model.hpp"

namespace pkgaudit::model {

struct UnitReference {
  const shell::Word* word = nullptr;  // where the unit is named
  std::string unit;                   // with the suffix systemctl implies (".service")
  std::string verb;                   // "restart", "start", ...
  std::string tool;                   // "systemctl", "service", ...
};

// Static names only: a dynamic word (`$UNIT`) or a glob is never a reference.
std::vector<UnitReference> unit_references(const shell::Command& command);

}  // namespace pkgaudit::model
