#include "classify/classify.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace pkgaudit::classify {
namespace {

std::string lower(std::string_view s) { return text::ascii_lower(s); }


std::string_view basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The directory that directly holds the file ("" at the root).
std::string_view parent_dir_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  return basename(path.substr(0, slash));
}

bool ends_with_any(std::string_view name, std::initializer_list<std::string_view> suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(), [&](std::string_view s) { return name.ends_with(s); });
}

bool is_shell_interpreter(std::string_view interp) {
  static constexpr std::array<std::string_view, 5> kShells{"sh", "bash", "dash", "ksh", "ash"};
  return std::find(kShells.begin(), kShells.end(), interp) != kShells.end();
}

}  // namespace

std::string_view shebang_interpreter(std::string_view content) {
  if (!content.starts_with("#!")) return {};
  std::string_view line = content.substr(2, content.find('\n') == std::string_view::npos
                                                ? std::string_view::npos
                                                : content.find('\n') - 2);
  auto skip_space = [&] {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  };
  auto take_word = [&] {
    skip_space();
    size_t end = 0;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
    std::string_view word = line.substr(0, end);
    line.remove_prefix(end);
    return word;
  };
  std::string_view program = basename(take_word());
  if (program == "env") {
    // `#!/usr/bin/env -S bash -e` and `#!/usr/bin/env bash`
    std::string_view next = take_word();
    while (next.starts_with('-')) next = take_word();
    program = basename(next);
  } else if (program == "busybox") {
    program = basename(take_word());
  }
  return program;
}

FileKind classify(std::string_view path, std::string_view content) {
  const std::string name = lower(basename(path));
  const std::string full = lower(path);
  const std::string parent = lower(parent_dir_name(path));
  const std::string_view head = content.substr(0, std::min<size_t>(content.size(), 8192));

  // Signature material first: DER signatures are binary by content.
  if (full.starts_with("meta-inf/") && full.find('/', 9) == std::string::npos) {
    if (name == "manifest.mf" || ends_with_any(name, {".sf", ".rsa", ".ec", ".dsa"})) return FileKind::signature;
  }
  if (ends_with_any(name, {".pem", ".crt", ".cer", ".p7s", ".sig"})) return FileKind::signature;

  if (ends_with_any(name, {".zip", ".jar", ".war", ".ear"}) || is_zip_content(head)) {
    return FileKind::nested_zip;
  }
  if (head.find('\0') != std::string_view::npos) return FileKind::binary;

  const auto is_unit_name = [](std::string_view n) {
    return ends_with_any(n, {".service", ".timer", ".socket", ".path", ".mount", ".target", ".automount",
                             ".slice", ".swap"});
  };
  if (is_unit_name(name)) return FileKind::systemd_unit;
  // Drop-ins: foo.service.d/override.conf
  if (name.ends_with(".conf") && parent.ends_with(".d") &&
      is_unit_name(std::string_view(parent).substr(0, parent.size() - 2))) {
    return FileKind::systemd_unit;
  }
  if (name.ends_with(".sql")) return FileKind::sql;

  // cron.{hourly,daily,weekly,monthly}/ hold scripts that run-parts executes.
  if (parent == "cron.hourly" || parent == "cron.daily" || parent == "cron.weekly" || parent == "cron.monthly") {
    return FileKind::shell;
  }
  if (parent == "cron.d" || name.ends_with(".cron") || name.starts_with("crontab")) return FileKind::crontab;

  const std::string_view interp = shebang_interpreter(head);
  if (!interp.empty()) return is_shell_interpreter(interp) ? FileKind::shell : FileKind::text;

  if (ends_with_any(name, {".sh", ".bash", ".env"})) return FileKind::shell;
  // Debian maintainer scripts: DEBIAN/postinst, and pkg.postinst as dpkg stores them.
  for (std::string_view script : {"preinst", "postinst", "prerm", "postrm", "config"}) {
    if (name == script && (script != "config" || parent == "debian")) return FileKind::shell;
    if (name.size() > script.size() && name.ends_with(script) && name[name.size() - script.size() - 1] == '.') {
      if (script != "config") return FileKind::shell;
    }
  }
  return FileKind::text;
}

bool is_zip_content(std::string_view content) {
  return content.starts_with("PK\x03\x04") || content.starts_with("PK\x05\x06");
}

}  // namespace pkgaudit::classify
