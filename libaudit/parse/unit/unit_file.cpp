#include "parse/unit/unit_file.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "parse/shell/shell_parser.hpp"

namespace pkgaudit::unit {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

constexpr std::array<std::string_view, 8> kExecKeys{"ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload",
                                                    "ExecStop",  "ExecStopPre",  "ExecStopPost",  "ExecCondition"};

std::string_view basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// A specifier (`%i`, `%n`) is filled in by systemd at run time: dynamic.
void mark_specifiers(shell::Word& w) {
  for (size_t i = 0; i + 1 < w.text.size(); ++i) {
    if (w.text[i] != '%') continue;
    if (w.text[i + 1] == '%') {
      ++i;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(w.text[i + 1]))) w.is_static = false;
  }
}

}  // namespace

bool is_exec_key(std::string_view key) {
  return std::find(kExecKeys.begin(), kExecKeys.end(), key) != kExecKeys.end();
}

std::string template_of(std::string_view unit) {
  const size_t at = unit.find('@');
  const size_t dot = unit.rfind('.');
  if (at == std::string_view::npos || dot == std::string_view::npos || dot < at || dot == at + 1) return {};
  return std::string(unit.substr(0, at + 1)) + std::string(unit.substr(dot));
}

std::string with_default_suffix(std::string_view unit) {
  static constexpr std::array<std::string_view, 11> kTypes{".service", ".socket", ".target", ".device", ".mount",
                                                           ".automount", ".swap", ".timer", ".path", ".slice",
                                                           ".scope"};
  for (std::string_view t : kTypes) {
    if (unit.ends_with(t) && unit.size() > t.size()) return std::string(unit);
  }
  return std::string(unit) + ".service";
}

std::vector<const Assignment*> UnitFile::values(std::string_view sec, std::string_view key) const {
  std::vector<const Assignment*> out;
  for (const Assignment& a : assignments) {
    if (section_of(a) != sec || a.key != key) continue;
    if (a.value.empty()) out.clear();
    else out.push_back(&a);
  }
  return out;
}

const Assignment* UnitFile::last(std::string_view sec, std::string_view key) const {
  const Assignment* found = nullptr;
  for (const Assignment& a : assignments) {
    if (section_of(a) == sec && a.key == key) found = &a;
  }
  return found;
}

const Section* UnitFile::section(std::string_view wanted) const {
  for (const Section& s : sections) {
    if (s.name == wanted) return &s;
  }
  return nullptr;
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, std::string_view path, const Limits& limits) : text_(text), limits_(limits) {
    const std::string_view base = basename(path);
    const size_t slash = path.rfind('/');
    const std::string_view dir = slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
    if (base.ends_with(".conf") && dir.ends_with(".d")) {
      out_.is_dropin = true;
      const std::string_view unit_dir = basename(dir);
      out_.name = std::string(unit_dir.substr(0, unit_dir.size() - 2));
    } else {
      out_.name = std::string(base);
    }
    const size_t dot = out_.name.rfind('.');
    out_.type = dot == std::string::npos ? std::string{} : out_.name.substr(dot + 1);
    out_.is_template = out_.name.find("@.") != std::string::npos;
  }

  UnitFile run() {
    uint32_t line_no = 0;
    size_t pos = 0;
    uint32_t section = Assignment::kNoSection;
    while (pos < text_.size()) {
      size_t eol = text_.find('\n', pos);
      if (eol == std::string_view::npos) eol = text_.size();
      ++line_no;
      const uint32_t line_begin = static_cast<uint32_t>(pos);
      std::string_view line = text_.substr(pos, eol - pos);
      pos = eol + 1;
      if (line.ends_with('\r')) line.remove_suffix(1);
      size_t lead = 0;
      while (lead < line.size() && is_blank(line[lead])) ++lead;
      const std::string_view body = line.substr(lead);
      const uint32_t body_begin = line_begin + static_cast<uint32_t>(lead);
      if (body.empty() || body[0] == '#' || body[0] == ';') continue;
      if (body[0] == '[') {
        const size_t close = body.find(']');
        if (close == std::string_view::npos || close + 1 != trimmed_size(body)) {
          problem({body_begin, body_begin + static_cast<uint32_t>(body.size())},
                  "malformed section header: systemd ignores this line and the keys after it may land in the wrong "
                  "section");
          continue;
        }
        section = static_cast<uint32_t>(out_.sections.size());
        out_.sections.push_back(
            {std::string(body.substr(1, close - 1)), {body_begin, body_begin + static_cast<uint32_t>(close + 1)}, line_no});
        continue;
      }
      Assignment a;
      a.section = section;
      a.line = line_no;
      const size_t eq = body.find('=');
      // Collect the logical line: a trailing backslash continues it.
      std::vector<std::pair<std::string_view, uint32_t>> pieces{{body, body_begin}};
      while (!pieces.back().first.empty() && pieces.back().first.back() == '\\' && pos < text_.size()) {
        size_t next_eol = text_.find('\n', pos);
        if (next_eol == std::string_view::npos) next_eol = text_.size();
        std::string_view next = text_.substr(pos, next_eol - pos);
        const auto next_begin = static_cast<uint32_t>(pos);
        pos = next_eol + 1;
        ++line_no;
        if (next.ends_with('\r')) next.remove_suffix(1);
        size_t nl = 0;
        while (nl < next.size() && is_blank(next[nl])) ++nl;
        // Comment lines inside a continuation are skipped, as systemd does.
        if (nl < next.size() && (next[nl] == '#' || next[nl] == ';')) continue;
        pieces.back().first.remove_suffix(1);
        pieces.push_back({next, next_begin});
      }
      if (eq == std::string_view::npos || eq >= pieces.front().first.size()) {
        problem({body_begin, body_begin + static_cast<uint32_t>(body.size())},
                "not a Key=Value line: systemd ignores it");
        continue;
      }
      std::string_view key = body.substr(0, eq);
      while (!key.empty() && is_blank(key.back())) key.remove_suffix(1);
      a.key = std::string(key);
      a.key_span = {body_begin, body_begin + static_cast<uint32_t>(key.size())};
      // The value: after '=', leading blanks dropped, pieces joined by a space.
      std::vector<uint32_t>& offsets = offsets_;
      offsets.clear();
      bool started = false;
      for (size_t p = 0; p < pieces.size(); ++p) {
        std::string_view piece = pieces[p].first;
        uint32_t begin = pieces[p].second;
        if (p == 0) {
          piece.remove_prefix(eq + 1);
          begin += static_cast<uint32_t>(eq + 1);
        }
        if (p > 0 && started) {
          a.value += ' ';
          offsets.push_back(begin);
        }
        for (size_t i = 0; i < piece.size(); ++i) {
          if (!started && is_blank(piece[i])) continue;
          started = true;
          a.value += piece[i];
          offsets.push_back(begin + static_cast<uint32_t>(i));
        }
      }
      while (!a.value.empty() && is_blank(a.value.back())) {
        a.value.pop_back();
        offsets.pop_back();
      }
      const uint32_t value_end = offsets.empty() ? a.key_span.end + 1 : offsets.back() + 1;
      offsets.push_back(value_end);
      a.value_span = {offsets.front(), value_end};
      a.value_offsets = shell::OffsetMap(offsets);
      if (section == Assignment::kNoSection || out_.sections[section].name.empty()) {  // none, or "[]"
        problem(a.key_span, fmt::format("'{}=' before any [Section]: systemd ignores it", a.key));
        continue;
      }
      out_.assignments.push_back(std::move(a));
      if (is_exec_key(out_.assignments.back().key)) parse_exec(out_.assignments.size() - 1);
    }
    // Kept for the whole audit (a package may have thousands of units): no spare room.
    out_.sections.shrink_to_fit();
    out_.assignments.shrink_to_fit();
    out_.exec.shrink_to_fit();
    out_.problems.shrink_to_fit();
    return std::move(out_);
  }

 private:
  static size_t trimmed_size(std::string_view s) {
    size_t n = s.size();
    while (n > 0 && is_blank(s[n - 1])) --n;
    return n;
  }

  void problem(shell::Span span, std::string message) { out_.problems.push_back({span, std::move(message)}); }

  void parse_exec(size_t index) {
    const Assignment& a = out_.assignments[index];
    if (a.value.empty()) return;  // a reset
    ExecLine exec;
    exec.assignment = index;
    size_t skip = 0;
    while (skip < a.value.size() && std::string_view("-@:+!").find(a.value[skip]) != std::string_view::npos) {
      exec.prefixes += a.value[skip];
      ++skip;
    }
    const std::string command = a.value.substr(skip);
    exec.shell = shell::parse_shell_mapped(command, a.value_offsets.expand(skip), limits_);
    for (shell::Command& c : exec.shell.commands) {
      mark_specifiers(c.name);
      for (shell::Word& w : c.args) mark_specifiers(w);
    }
    // `@` gives argv[0] as the second word: it is not an argument.
    if (exec.prefixes.find('@') != std::string::npos && !exec.shell.commands.empty() &&
        !exec.shell.commands.front().args.empty()) {
      exec.shell.commands.front().args.erase(exec.shell.commands.front().args.begin());
    }
    out_.exec.push_back(std::move(exec));
  }

  std::string_view text_;
  const Limits& limits_;
  UnitFile out_;
  std::vector<uint32_t> offsets_;  // of the value being read, one per byte
};

}  // namespace

UnitFile parse_unit(std::string_view text, std::string_view path, const Limits& limits) {
  return Parser(text, path, limits).run();
}

}  // namespace pkgaudit::unit
