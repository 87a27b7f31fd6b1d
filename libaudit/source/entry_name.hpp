// Entry names come from the vendor. A name that would climb out of the
// extraction directory is a finding (PA101), and the entry is still audited
// under a safe, normalised name when one can be made.
#pragma once

#include <cstdint>
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
};

// A NormalisedName without its name: what each entry of a package keeps
// once its path is made (4 bytes where the name's vector and string took 64).
class NameFlags {
 public:
  NameFlags() = default;
  explicit NameFlags(const NormalisedName& name);
  bool any() const { return issues_ != 0; }
  bool has(NameIssue issue) const { return (issues_ >> static_cast<unsigned>(issue)) & 1U; }
  std::vector<NameIssue> issues() const;  // in the order listed in NameIssue
  bool climbs_out() const { return climbs_out_; }
  bool is_directory() const { return is_directory_; }
  bool unnamed() const { return has(NameIssue::empty); }  // nothing was left of the name

 private:
  uint16_t issues_ = 0;
  bool climbs_out_ = false;
  bool is_directory_ = false;
};

NormalisedName normalise_entry_name(std::string_view raw);

}  // namespace pkgaudit::source
