#include "package/package.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "parse/shell/shell_parser.hpp"
#include "parse/unit/calendar.hpp"

namespace pkgaudit::data {
extern const char* const systemd_special_units;
}  // namespace pkgaudit::data

namespace pkgaudit::model {

void UnitIndex::define(const std::string& unit, const File* file) { defined_.emplace(unit, file); }

UnitIndex::Source UnitIndex::find(std::string_view unit) const {
  auto lookup = [&](std::string_view name) {
    if (defined_.count(name)) return Source::package;
    if (inventory_.count(name)) return Source::inventory;
    if (special_.count(name)) return Source::special;
    return Source::none;
  };
  const Source exact = lookup(unit);
  if (exact != Source::none) return exact;
  const std::string tmpl = unit::template_of(unit);
  return tmpl.empty() ? Source::none : lookup(tmpl);
}

const File* UnitIndex::definition(std::string_view unit) const {
  if (auto it = defined_.find(unit); it != defined_.end()) return it->second;
  const std::string tmpl = unit::template_of(unit);
  if (auto it = defined_.find(tmpl); !tmpl.empty() && it != defined_.end()) return it->second;
  return nullptr;
}

std::vector<const File*> Package::files_of_kind(FileKind kind) const {
  std::vector<const File*> out;
  for (const File& f : files) {
    if (f.kind == kind && f.audited) out.push_back(&f);
  }
  return out;
}

const File::Rare& File::rare() const {
  static const Rare none;
  return rare_ ? *rare_ : none;
}

void File::set_stored_name(std::string stored) {
  stored_name_differs_ = stored != path;
  if (stored_name_differs_) rare_to_write().stored_name = std::move(stored);
  else if (rare_) std::string().swap(rare_->stored_name);
}

File::Rare& File::rare_to_write() {
  if (!rare_) rare_ = std::make_unique<Rare>();
  return *rare_;
}

const std::vector<RunContext>& Package::contexts_of(const File& file) const {
  static const std::vector<RunContext> kNone;
  const auto it = run_by.find(file.path);
  return it == run_by.end() ? kNone : it->second;
}

const File* Package::resolve_script(std::string_view command_path) const {
  return resolve_path(command_path, FileKind::shell);
}

const File* Package::resolve_path(std::string_view command_path, FileKind kind) const {
  while (command_path.starts_with("./")) command_path.remove_prefix(2);
  if (command_path.empty()) return nullptr;
  // The longest package path the command's path ends with, at a '/'.
  for (std::string_view tail = command_path;;) {
    auto it = std::lower_bound(by_path.begin(), by_path.end(), tail,
                               [](const File* f, std::string_view p) { return f->path < p; });
    for (; it != by_path.end() && (*it)->path == tail; ++it) {
      if ((*it)->kind == kind) return *it;
    }
    const size_t slash = tail.find('/');
    if (slash == std::string_view::npos) return nullptr;
    tail.remove_prefix(slash + 1);
  }
}

std::shared_ptr<const std::string> Package::text_of(const File& file) const {
  if (file.content || !file.audited || file.entry == File::kNoEntry || !read_again) return file.content;
  return read_again(file);
}

const shell::ShellScript* Package::sourced_script(const File& file) const {
  if (file.shell) return &*file.shell;
  const std::lock_guard lock(sourced->mutex);
  auto [it, inserted] = sourced->parsed.try_emplace(&file);
  const std::shared_ptr<const std::string> text =
      inserted && file.audited && file.kind == FileKind::shell ? text_of(file) : nullptr;
  if (text) {
    shell::ShellScript all = shell::parse_shell(*text, options.limits);
    if (!all.timed_out) {
      // What ShellValues reads of a sourced script; the rest is dropped.
      auto kept = std::make_unique<shell::ShellScript>();
      for (shell::Assignment& a : all.assignments) {
        if (!a.command_prefix) kept->assignments.push_back(std::move(a));
      }
      for (shell::Command& c : all.commands) {
        if (c.has_name(".") || c.has_name("source")) kept->commands.push_back(std::move(c));
      }
      it->second = std::move(kept);
    }
  }
  return it->second.get();
}

namespace {

// Script files a command runs: its name (`/opt/x/run.sh`) or, for an
// interpreter (`bash /opt/x/run.sh`), its first argument.
std::vector<const File*> scripts_run_by(const Package& package, const shell::ShellScript& script) {
  std::vector<const File*> out;
  for (const shell::Command& c : script.commands) {
    if (!c.name.is_static) continue;
    const shell::Word* target = &c.name;
    if (c.has_name("sh") || c.has_name("bash") || c.has_name("dash") || c.has_name("/bin/sh") ||
        c.has_name("/bin/bash")) {
      const auto args = shell::args_without_flags(c);
      if (args.empty() || !args[0]->is_static) continue;
      target = args[0];
    }
    if (target->text.find('/') == std::string::npos) continue;
    if (const File* f = package.resolve_script(target->text)) out.push_back(f);
  }
  return out;
}

void load_special_units(UnitIndex& units) {
  std::string_view data = data::systemd_special_units;
  while (!data.empty()) {
    const size_t eol = data.find('\n');
    std::string_view line = data.substr(0, eol);
    data = eol == std::string_view::npos ? std::string_view{} : data.substr(eol + 1);
    if (line.empty() || line.starts_with('#')) continue;
    units.add_special(std::string(line));
  }
}

}  // namespace

void index_package(Package& package, const std::vector<std::string>& known_units) {
  for (const File& f : package.files) {
    if (f.audited && !f.path.empty()) package.by_path.push_back(&f);
  }
  std::stable_sort(package.by_path.begin(), package.by_path.end(),
                   [](const File* a, const File* b) { return a->path < b->path; });
  load_special_units(package.units);
  for (const std::string& unit : known_units) package.units.add_inventory(unit);

  // Timers in the package, by the unit they start, for schedules.
  std::map<std::string, std::pair<const File*, std::string>> timer_of;
  for (const File& f : package.files) {
    // A SysV init script makes `service NAME` work through systemd's generator.
    if (const size_t slash = f.path.rfind('/');
        f.audited && slash != std::string::npos && std::string_view(f.path).substr(0, slash).ends_with("init.d")) {
      package.units.define(f.path.substr(slash + 1) + ".service", &f);
    }
    if (!f.unit) continue;
    if (!f.unit->is_dropin) package.units.define(f.unit->name, &f);
    else package.dropins[f.unit->name].push_back(&f);
    if (f.unit->type == "timer" && !f.unit->is_dropin) {
      const unit::Assignment* target = f.unit->last("Timer", "Unit");
      const std::string started = target ? target->value
                                         : f.unit->name.substr(0, f.unit->name.size() - 6) + ".service";
      timer_of[started] = {&f, unit::describe_timer(*f.unit)};
    }
  }

  for (const File& f : package.files) {
    if (f.shell) package.scripts.push_back({&f, &*f.shell, ""});
    if (f.crontab) {
      for (const cron::Entry& e : f.crontab->entries) {
        if (!e.shell) continue;
        package.scripts.push_back({&f, &*e.shell, "cron entry"});
        for (const File* target : scripts_run_by(package, *e.shell)) {
          package.run_by[target->path].push_back(
              {&f, e.line_span, fmt::format("run by {}:{} ({})", f.path, e.line, e.schedule), e.schedule});
        }
      }
    }
    if (f.unit) {
      for (const unit::ExecLine& x : f.unit->exec) {
        const unit::Assignment& a = f.unit->assignments[x.assignment];
        package.scripts.push_back({&f, &x.shell, a.key + "="});
        std::string schedule;
        std::string description = fmt::format("run by {}:{} ({}= of {})", f.path, a.line, a.key, f.unit->name);
        if (auto it = timer_of.find(f.unit->name); it != timer_of.end()) {
          schedule = it->second.second;
          description += fmt::format(", started {} by {}", schedule, it->second.first->path);
        }
        for (const File* target : scripts_run_by(package, x.shell)) {
          package.run_by[target->path].push_back({&f, a.value_span, description, schedule});
        }
      }
    }
  }
}

}  // namespace pkgaudit::model
