// systemd unit files as systemd reads them: sections, Key=Value with exact
// positions, `#`/`;` comments, backslash continuation lines, repeated keys
// and the empty assignment that resets a list, drop-ins, and `Exec*=` lines
// parsed as commands with their prefixes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parse/shell/shell_model.hpp"
#include "pkgaudit/options.hpp"

namespace pkgaudit::unit {

struct Assignment {
  // Its section's index in UnitFile::sections (UnitFile::section_of gives
  // the name): a unit's every assignment held its section's name, 1.4 MB at
  // 50,000 files. kNoSection before the first header.
  static constexpr uint32_t kNoSection = UINT32_MAX;
  uint32_t section = kNoSection;
  uint32_t line = 0;
  std::string key;
  std::string value;                   // continuation lines joined with a space
  shell::Span key_span;
  shell::Span value_span;
  shell::OffsetMap value_offsets;      // file offset of each value byte, plus the end
};

struct Section {
  std::string name;
  shell::Span span;
  uint32_t line = 0;
};

struct ExecLine {
  size_t assignment = 0;               // index into UnitFile::assignments
  std::string prefixes;                // "-", "@", ":", "+", "!", "!!" in any valid combination
  shell::ShellScript shell;            // specifiers (%i, %n) are dynamic words
};

struct Problem {
  shell::Span span;
  std::string message;
};

struct UnitFile {
  std::string name;        // "dten-sync.service"; for a drop-in, the unit it extends
  std::string type;        // "service", "timer", ...
  bool is_template = false;  // "foo@.service"
  bool is_dropin = false;    // "foo.service.d/override.conf"
  std::vector<Section> sections;
  std::vector<Assignment> assignments;  // in file order
  std::vector<ExecLine> exec;
  std::vector<Problem> problems;        // lines systemd ignores or rejects while parsing

  // The effective values of a list-valued key: an empty assignment resets.
  std::vector<const Assignment*> values(std::string_view section, std::string_view key) const;
  // The last assignment of a key, or null.
  const Assignment* last(std::string_view section, std::string_view key) const;
  const Section* section(std::string_view name) const;
  // The name of the section an assignment is in; "" before the first header.
  std::string_view section_of(const Assignment& a) const {
    return a.section < sections.size() ? std::string_view(sections[a.section].name) : std::string_view();
  }
};

UnitFile parse_unit(std::string_view text, std::string_view path, const Limits& limits);

bool is_exec_key(std::string_view key);

// "foo@bar.service" -> "foo@.service"; empty when not an instance.
std::string template_of(std::string_view unit);

// `systemctl restart dten` means dten.service: the suffix systemctl adds.
std::string with_default_suffix(std::string_view unit);

}  // namespace pkgaudit::unit
