#pragma once

#include "pkgaudit/export.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkgaudit/custom_rule.hpp"
#include "pkgaudit/finding.hpp"
#include "pkgaudit/finding_list.hpp"
#include "pkgaudit/result.hpp"

namespace pkgaudit {

enum class FileKind {
  shell, crontab, systemd_unit, sql, signature, nested_zip, binary, text,
  directory, symlink, other,
};
PKGAUDIT_API const char* file_kind_name(FileKind kind) noexcept;  // "shell", "systemd-unit", ...

// One file of the package (or the package archive itself).
struct Artifact {
  std::string path;        // normalised inner path; the archive's own file name for the root
  FileKind kind = FileKind::other;
  uint64_t size = 0;       // uncompressed bytes
  int parent = -1;         // index of the containing archive artifact, -1 for none
  bool audited = true;     // false: not read or not parsed (see reason)
  std::string not_audited_reason;
};

// What a reviewer needs to know about a signature at a glance.
struct SigningSummary {
  std::string form;                    // "JAR-style signed manifest", ...
  std::string signature;               // the signature file
  std::string signer;                  // subject
  std::string fingerprint;             // SHA-256 of the signer's certificate
  std::vector<std::string> chain;      // "subject <- issuer", leaf first, as verified
  bool verified = false;
  bool trusted = false;
  size_t covered = 0;                  // entries the signature covers
  std::vector<std::string> not_covered;
};

struct Report {
  std::string package;          // the path as given
  bool package_is_archive = false;
  // Index 0 is the archive itself when package_is_archive.
  std::vector<Artifact> artifacts;
  // Sorted by path, line, column, rule id: output order is deterministic.
  FindingList findings;
  std::vector<std::string> rules_run;  // ids, sorted
  std::string category;                // SARIF runAutomationDetails.id
  std::string source_root;             // PKGROOT maps here when set
  bool baseline_applied = false;
  std::vector<SigningSummary> signing;  // empty: the package carries no signature
  std::vector<CustomRule> custom_rules;  // from the configuration, for the renderers' rule metadata
  // Threads the renderers format findings on (the output is the same for
  // any number): the audit's [scan] jobs, one per core for 0.
  uint32_t jobs = 1;
};

// Compares the report with an earlier SARIF log (by rule and the
// pkgaudit/v1 fingerprint): every finding gets its baseline state, and
// findings that disappeared are added as `absent`. Errors: unreadable or not
// SARIF.
PKGAUDIT_API std::optional<Error> apply_baseline(Report& report, const std::string& baseline_sarif_path);

struct TextStyle {
  bool color = false;
  bool quiet = false;       // findings only: no snippets, no summary
  bool statistics = false;  // a table of counts per rule after the findings
};

// Renderers never fail on a Report the library built; the strings are
// UTF-8. SARIF and JSON check every string as they write it: a Report
// holding invalid UTF-8 (built by hand) throws std::runtime_error rather
// than producing a log viewers reject.
PKGAUDIT_API std::string render_sarif(const Report& report);
PKGAUDIT_API std::string render_text(const Report& report, const TextStyle& style);
PKGAUDIT_API std::string render_json(const Report& report);

// The same bytes, written to `out` as they are produced: the report of a
// large package runs to hundreds of MiB and need not be held whole. False
// when a write failed (errno says why); what was written stays written.
PKGAUDIT_API bool write_sarif(const Report& report, std::FILE* out);
PKGAUDIT_API bool write_text(const Report& report, const TextStyle& style, std::FILE* out);
PKGAUDIT_API bool write_json(const Report& report, std::FILE* out);

// Findings at or above `threshold` (Level::none: never fails).
PKGAUDIT_API bool has_findings_at_or_above(const Report& report, Level threshold);

}  // namespace pkgaudit
