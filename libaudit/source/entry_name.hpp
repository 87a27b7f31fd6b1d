// Entry names come from the vendor. A name that would climb out of the
// extraction directory is a finding (PA101), and the entry is still audited
// under a safe, normalised name when one can be made.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pkgaudit::source {

enum class NameIssue {
  absolute,        // "/etc/passwd"
  drive_letter,    // "C:/x", "C:\x"
  unc_path,        // "\\host\share\x" or "//host/share/x"
  parent_segment,  // ".." anywhere
  backslash,       // "a\b": a separator on Windows extractors
  nul_byte,
  control_char,    // C0 controls, DEL, ANSI escapes
  bidi_override,   // U+202A-202E, U+2066-2069: the name displays differently
  empty,           // nothing left after normalisation
};

const char* name_issue_text(NameIssue issue) noexcept;

struct NormalisedName {
  std::string name;                 // '/'-separated, relative, no "." or ".."
  std::vector<NameIssue> issues;    // in the order listed in NameIssue
  bool climbs_out = false;          // ".." would leave the package root
  bool is_directory = false;        // the raw name ended with a separator
  // Nothing was left of the name (`name` may have been moved on since).
  bool unnamed() const;
};

NormalisedName normalise_entry_name(std::string_view raw);

}  // namespace pkgaudit::source
