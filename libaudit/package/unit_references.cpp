#include "package/unit_references.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "parse/unit/unit_file.hpp"

namespace pkgaudit::model {
namespace {

constexpr std::array<std::string_view, 31> kUnitVerbs{
    "start",      "stop",        "reload",       "restart",   "try-restart", "reload-or-restart",
    "try-reload-or-restart", "force-reload", "condrestart", "condreload", "condstop", "enable",
    "disable",    "reenable",    "preset",       "is-active", "is-enabled",  "is-failed",
    "status",     "show",        "cat",          "mask",      "unmask",      "kill",
    "clean",      "freeze",      "thaw",         "revert",    "edit",        "isolate",
    "list-dependencies"};
// Verbs whose first argument is a unit and the rest something else.
constexpr std::array<std::string_view, 3> kFirstOnly{"set-property", "bind", "mount-image"};

std::string_view program(const shell::Word& w) {
  const size_t slash = w.text.rfind('/');
  return slash == std::string::npos ? std::string_view(w.text) : std::string_view(w.text).substr(slash + 1);
}

bool usable(const shell::Word& w) {
  if (!w.is_static || w.text.empty()) return false;
  if (w.text.find_first_of("*?[$%") != std::string::npos) return false;  // globs, specifiers
  if (w.text[0] == '/' || w.text[0] == '-') return false;                // paths (mount units by path), options
  return std::all_of(w.text.begin(), w.text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("@._:-\\").find(c) != std::string_view::npos; });
}

void add(std::vector<UnitReference>& out, const shell::Word& w, std::string verb, std::string tool) {
  if (!usable(w)) return;
  // Numbers are PIDs (`systemctl status 1234`).
  if (std::all_of(w.text.begin(), w.text.end(), [](char c) { return c >= '0' && c <= '9'; })) return;
  out.push_back({&w, unit::with_default_suffix(w.text), std::move(verb), std::move(tool)});
}

}  // namespace

std::vector<UnitReference> unit_references(const shell::Command& c) {
  std::vector<UnitReference> out;
  if (!c.name.is_static) return out;
  const std::string_view tool = program(c.name);
  if (tool == "systemctl") {
    const auto args = shell::args_without_flags(c, "tspHMno");
    if (args.empty() || !args[0]->is_static) return out;
    const std::string verb = args[0]->text;
    const bool first_only = std::find(kFirstOnly.begin(), kFirstOnly.end(), verb) != kFirstOnly.end();
    if (!first_only && std::find(kUnitVerbs.begin(), kUnitVerbs.end(), verb) == kUnitVerbs.end()) return out;
    for (size_t i = 1; i < args.size(); ++i) {
      add(out, *args[i], verb, "systemctl");
      if (first_only) break;
    }
  } else if (tool == "service" || tool == "invoke-rc.d" || tool == "update-rc.d") {
    const auto args = shell::args_without_flags(c);
    if (args.size() >= 2 && args[1]->is_static) add(out, *args[0], args[1]->text, std::string(tool));
  } else if (tool == "deb-systemd-invoke" || tool == "deb-systemd-helper") {
    const auto args = shell::args_without_flags(c);
    if (args.empty() || !args[0]->is_static) return out;
    for (size_t i = 1; i < args.size(); ++i) add(out, *args[i], args[0]->text, std::string(tool));
  } else if (tool == "journalctl") {
    for (size_t i = 0; i < c.args.size(); ++i) {
      const shell::Word& w = c.args[i];
      if (!w.is_static) continue;
      if ((w.text == "-u" || w.text == "--unit") && i + 1 < c.args.size()) {
        add(out, c.args[i + 1], "-u", "journalctl");
        ++i;
      } else if (w.text.starts_with("--unit=") || (w.text.starts_with("-u") && w.text.size() > 2)) {
        // The name is part of the word: report the word, with the name cut out.
        shell::Word part = w;
        part.text = w.text.substr(w.text.starts_with("--unit=") ? 7 : 2);
        if (!usable(part)) continue;
        out.push_back({&w, unit::with_default_suffix(part.text), "-u", "journalctl"});
      }
    }
  }
  return out;
}

}  // namespace pkgaudit::model
