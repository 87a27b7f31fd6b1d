#include "pkgaudit/finding.hpp"
#include "pkgaudit/report.hpp"
#include "pkgaudit/result.hpp"

namespace pkgaudit {

const char* level_name(Level level) noexcept {
  switch (level) {
    case Level::none: return "none";
    case Level::note: return "note";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "none";
}

std::optional<Level> parse_level(std::string_view text) noexcept {
  if (text == "none") return Level::none;
  if (text == "note") return Level::note;
  if (text == "warning") return Level::warning;
  if (text == "error") return Level::error;
  return std::nullopt;
}

const char* baseline_state_name(BaselineState state) noexcept {
  switch (state) {
    case BaselineState::none: return "none";
    case BaselineState::new_: return "new";
    case BaselineState::unchanged: return "unchanged";
    case BaselineState::updated: return "updated";
    case BaselineState::absent: return "absent";
  }
  return "none";
}

const char* file_kind_name(FileKind kind) noexcept {
  switch (kind) {
    case FileKind::shell: return "shell";
    case FileKind::crontab: return "crontab";
    case FileKind::systemd_unit: return "systemd-unit";
    case FileKind::sql: return "sql";
    case FileKind::signature: return "signature";
    case FileKind::nested_zip: return "archive";
    case FileKind::binary: return "binary";
    case FileKind::text: return "text";
    case FileKind::directory: return "directory";
    case FileKind::symlink: return "symlink";
    case FileKind::other: return "other";
  }
  return "other";
}

const char* error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::usage: return "usage";
    case ErrorCode::io: return "io";
    case ErrorCode::bad_package: return "bad-package";
    case ErrorCode::config: return "config";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

bool has_findings_at_or_above(const Report& report, Level threshold) {
  if (threshold == Level::none) return false;
  for (const Finding& f : report.findings) {
    if (f.suppressed || f.baseline == BaselineState::unchanged || f.baseline == BaselineState::absent) continue;
    if (f.baseline == BaselineState::updated) continue;  // with a baseline, only new findings fail the gate
    if (f.level != Level::none && f.level >= threshold) return true;
  }
  return false;
}

}  // namespace pkgaudit
