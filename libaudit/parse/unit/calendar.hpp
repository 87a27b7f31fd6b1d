// A timer's schedule in words, for people: OnCalendar= expressions
// (systemd.time(7)) and the monotonic OnBootSec=/OnUnitActiveSec= forms.
#pragma once

#include <string>
#include <string_view>

#include "parse/unit/unit_file.hpp"

namespace pkgaudit::unit {

// "daily at 03:00", "Monday–Friday at 06:30", "every 15 minutes"; an
// expression it cannot put in words comes back as "on calendar 'EXPR'".
std::string describe_calendar(std::string_view spec);

// Every trigger of a timer unit, joined: "daily at 03:00 and 15min after boot".
std::string describe_timer(const UnitFile& timer);

}  // namespace pkgaudit::unit
