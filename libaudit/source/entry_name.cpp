#include "source/entry_name.hpp"

#include <algorithm>

namespace pkgaudit::source {

NameFlags::NameFlags(const NormalisedName& name) : climbs_out_(name.climbs_out), is_directory_(name.is_directory) {
  static_assert(static_cast<unsigned>(NameIssue::empty) < 16, "NameFlags holds the issues in 16 bits");
  for (const NameIssue issue : name.issues) issues_ |= static_cast<uint16_t>(1U << static_cast<unsigned>(issue));
}

std::vector<NameIssue> NameFlags::issues() const {
  std::vector<NameIssue> out;
  for (unsigned i = 0; i <= static_cast<unsigned>(NameIssue::empty); ++i) {
    if ((issues_ >> i) & 1U) out.push_back(static_cast<NameIssue>(i));
  }
  return out;
}

const char* name_issue_text(NameIssue issue) noexcept {
  switch (issue) {
    case NameIssue::absolute: return "is an absolute path";
    case NameIssue::drive_letter: return "starts with a drive letter";
    case NameIssue::unc_path: return "is a UNC network path";
    case NameIssue::parent_segment: return "contains a '..' segment";
    case NameIssue::backslash: return "uses '\\' as a separator";
    case NameIssue::nul_byte: return "contains a NUL byte";
    case NameIssue::control_char: return "contains control characters";
    case NameIssue::bidi_override: return "contains a bidirectional override";
    case NameIssue::empty: return "is empty after normalisation";
  }
  return "is unsafe";
}

namespace {

bool has_bidi(std::string_view s) {
  // U+202A..U+202E are E2 80 AA..AE; U+2066..U+2069 are E2 81 A6..A9.
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    const auto a = static_cast<unsigned char>(s[i]);
    const auto b = static_cast<unsigned char>(s[i + 1]);
    const auto c = static_cast<unsigned char>(s[i + 2]);
    if (a == 0xE2 && b == 0x80 && c >= 0xAA && c <= 0xAE) return true;
    if (a == 0xE2 && b == 0x81 && c >= 0xA6 && c <= 0xA9) return true;
  }
  return false;
}

void add(std::vector<NameIssue>& issues, NameIssue issue) {
  if (std::find(issues.begin(), issues.end(), issue) == issues.end()) issues.push_back(issue);
}

}  // namespace

NormalisedName normalise_entry_name(std::string_view raw) {
  NormalisedName out;
  std::string s;
  s.reserve(raw.size());
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) {
      add(out.issues, NameIssue::nul_byte);
      s += "\xEF\xBF\xBD";
      continue;
    }
    if (c == '\\') {
      add(out.issues, NameIssue::backslash);
      s += '/';
      continue;
    }
    if (c < 0x20 || c == 0x7F) add(out.issues, NameIssue::control_char);
    s += ch;
  }
  if (has_bidi(s)) add(out.issues, NameIssue::bidi_override);

  std::string_view rest = s;
  if (rest.starts_with("//")) {
    add(out.issues, NameIssue::unc_path);
  } else if (rest.size() >= 2 && rest[1] == ':' &&
             ((rest[0] >= 'A' && rest[0] <= 'Z') || (rest[0] >= 'a' && rest[0] <= 'z'))) {
    add(out.issues, NameIssue::drive_letter);
    rest.remove_prefix(2);
  } else if (rest.starts_with('/')) {
    add(out.issues, NameIssue::absolute);
  }
  out.is_directory = rest.ends_with('/');

  std::vector<std::string_view> parts;
  size_t depth = 0;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      add(out.issues, NameIssue::parent_segment);
      if (depth == 0) {
        out.climbs_out = true;
      } else {
        --depth;
        parts.pop_back();
      }
      continue;
    }
    parts.push_back(part);
    ++depth;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.name += '/';
    out.name += parts[i];
  }
  if (out.name.empty()) add(out.issues, NameIssue::empty);
  std::sort(out.issues.begin(), out.issues.end());
  return out;
}

}  // namespace pkgaudit::source
