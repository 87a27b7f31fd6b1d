// The package model rules check: every entry with its name problems, its
// kind, and for parsed kinds their model; plus the cross-indexes the rules
// need (units defined and known, who runs which script, every piece of
// shell wherever it sits). Read by every rule.
//
// Scripts, then SQL files, are parsed and checked in batches, and a batch's
// models are released before the next is parsed, so that memory for them
// does not grow with the package: the rules run once per batch and once
// more, last, for every other file (`checked`, `final_run`).
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "parse/cron/crontab.hpp"
#include "package/signing.hpp"
#include "package/sql_sessions.hpp"
#include "parse/shell/shell_model.hpp"
#include "parse/sql/sql_script.hpp"
#include "parse/unit/unit_file.hpp"
#include "pkgaudit/options.hpp"
#include "pkgaudit/report.hpp"
#include "source/entry_name.hpp"
#include "text/line_index.hpp"

namespace pkgaudit::model {

struct File {
  std::string path;                 // normalised inner path
  // The text, while rules may read it. On the heap so that `lines`, which
  // views it, stays valid when the File is moved. A script or SQL file of
  // the package itself is not held from reading to its batch, nor after
  // it: it is read again (Package::text_of), and must read the same
  // (`text_sha256`); `first_line_hash` is kept for findings on the file as
  // a whole from later runs.
  std::shared_ptr<const std::string> content;
  std::unique_ptr<text::LineIndex> lines;
  // Boxed: a package has tens of thousands of files and most have none.
  std::unique_ptr<shell::ShellScript> shell;
  std::unique_ptr<cron::Crontab> crontab;
  std::unique_ptr<unit::UnitFile> unit;
  std::unique_ptr<sql::Script> sql;
  uint64_t first_line_hash = 0;     // when first_line_hashed; its occurrence is 1: nothing comes before line 1
  std::array<unsigned char, 32> text_sha256{};
  static constexpr uint32_t kNoEntry = UINT32_MAX;
  uint32_t entry = kNoEntry;        // index in the package's entries, when the text can be read again
  uint32_t artifact = 0;            // index into Report::artifacts
  source::NameFlags name;           // what normalising the stored name found
  FileKind kind = FileKind::other;
  bool audited = false;
  // A `.sql` file whose text has a `\i`-like backslash: it may include
  // other files, so its session cannot wait for its own batch.
  bool sql_may_include = false;
  bool first_line_hashed = false;   // not an optional: 8 bytes more for each of tens of thousands of files
  bool has_artifact = false;        // false: a directory reported for its name (PA101), not an artifact
  // What few entries have, boxed, as the models are: rare() reads it
  // (empty when there is none), rare_to_write() makes it.
  struct Rare {
    // Raw digests ("SHA-256", "SHA-512", "SHA1", "MD5") of the entry's
    // bytes, when the package carries a signed manifest to check them against.
    std::map<std::string, std::string> digests;
    std::string link_target;        // symlink entries: where the link points
    std::string limit;              // non-empty: the limit that kept this entry from being audited
    // Non-empty: zip readers disagree about this entry (zip_structure.hpp), or it changed while read.
    std::string structure_problem;
    std::string stored_name;        // as stored in the package, when that differs from `path`
  };
  const Rare& rare() const;
  Rare& rare_to_write();
  // The name as stored in the package (most are their path already).
  std::string_view stored_name() const { return stored_name_differs_ ? std::string_view(rare().stored_name) : path; }
  void set_stored_name(std::string stored);

 private:
  bool stored_name_differs_ = false;
  std::unique_ptr<Rare> rare_;
};

// Who runs a package script: a cron entry or a unit's Exec*= line.
struct RunContext {
  const File* by = nullptr;
  shell::Span span;                 // the cron line or the Exec*= value
  std::string description;          // "run by etc/cron.d/dten-import:4 (daily at 03:00)"
  std::string schedule;             // "daily at 03:00"; empty when not on a schedule
};

// One piece of shell a rule should check, wherever it sits.
struct ScriptView {
  const File* file = nullptr;
  const shell::ShellScript* script = nullptr;
  std::string origin;               // "" for a script file, "cron entry", "ExecStart="
};

// An inline `pkgaudit: ignore[...]` comment and what became of it.
struct Suppression {
  const File* file = nullptr;
  uint32_t line = 0;                // where the comment is
  shell::Span span;                 // the `pkgaudit: ...` text
  bool whole_file = false;          // ignore-file[...]
  std::vector<std::string> ids;
  std::vector<bool> used;           // parallel to ids
  std::string reason;
  std::string problem;              // non-empty: malformed ("no rule ids", ...)
};

// Units the package defines, the target host has (inventory) and every
// systemd host has (systemd.special(7)).
class UnitIndex {
 public:
  enum class Source { none, package, inventory, special };
  void define(const std::string& unit, const File* file);
  void add_inventory(const std::string& unit) { inventory_.insert(unit); }
  void add_special(const std::string& unit) { special_.insert(unit); }
  // Exact name first, then the template of an instance (foo@bar -> foo@).
  Source find(std::string_view unit) const;
  const File* definition(std::string_view unit) const;
  bool has_inventory() const { return !inventory_.empty(); }

 private:
  std::map<std::string, const File*, std::less<>> defined_;
  std::set<std::string, std::less<>> inventory_;
  std::set<std::string, std::less<>> special_;
};

// Scripts that others source (`. ./lib.sh`), parsed again on demand when
// their own view is not alive, and kept: assignments and `.` commands only.
struct SourcedScripts {
  std::mutex mutex;
  std::map<const File*, std::unique_ptr<const shell::ShellScript>> parsed;
};

struct Package {
  Options options;                  // what the rules may consult: hosts, ignore lists
  std::string display_name;         // the package path as given
  bool is_archive = false;
  std::vector<File> files;          // in entry order; directories only when their name is unsafe
  // What this run of the rules checks: a batch of script or SQL files, or
  // (the final run) every other file. Each file is in exactly one run, so a rule
  // that looks at files goes through `checked`, not `files`.
  std::vector<const File*> checked;
  bool final_run = true;
  std::vector<ScriptView> scripts;  // this run's shell: its script files, or cron commands and Exec*= lines
  std::map<std::string, std::vector<RunContext>, std::less<>> run_by;  // by package path
  UnitIndex units;
  // Drop-ins in the package (foo.service.d/*.conf), by the unit they
  // change, in file order.
  std::map<std::string, std::vector<const File*>, std::less<>> dropins;
  std::vector<const EmbeddedSql*> embedded_sql;  // this run's SQL from psql -c, mysql -e, heredocs
  std::vector<ExecutedStatement> sql;    // every statement held in this run's files, with its lock state
  std::map<std::string, std::string> ssh_aliases;  // ssh_config Host -> HostName in the package
  std::vector<Suppression> suppressions; // filled after the rules run; read by PA001
  std::vector<SignatureCheck> signatures; // every signature found, verified
  // What is wrong with the archive as a whole (its end records, its
  // central directory), and limits that stopped the read: PA102.
  std::vector<std::string> archive_problems;

  std::vector<const File*> files_of_kind(FileKind kind) const;
  const std::vector<RunContext>& contexts_of(const File& file) const;
  // The package shell script a command path names (`/opt/dten/scripts/x.sh`
  // resolves to `scripts/x.sh`): the longest package path that is a suffix
  // of it at a '/' boundary. Null for dynamic or unknown paths.
  const File* resolve_script(std::string_view command_path) const;
  // The same for any audited file of `kind`.
  const File* resolve_path(std::string_view path, FileKind kind) const;
  // The file's text: held, or read again. Null when it cannot be read or
  // is not what was read first. Safe from several rules at once.
  std::shared_ptr<const std::string> text_of(const File& file) const;
  std::function<std::shared_ptr<const std::string>(const File&)> read_again;  // set by the pipeline
  // The command view of a package script another script sources: its own
  // when alive (its batch is running), else parsed again and kept.
  // Null when the script cannot be parsed. Safe from several rules at once.
  const shell::ShellScript* sourced_script(const File& file) const;

  // Audited files sorted by path, files of one path in file order, for
  // resolve_path (filled by index_package). By path, not by last component:
  // packages hold thousands of `postinst` or `run.sh`, each looked up by
  // every command. A sorted vector, not a map of vectors: two allocations
  // less per file (4 MB at 50,000 files).
  std::vector<const File*> by_path;
  std::shared_ptr<SourcedScripts> sourced = std::make_shared<SourcedScripts>();
};

// Fills the cross-indexes once every file is parsed. `known_units` is the
// target inventory.
void index_package(Package& package, const std::vector<std::string>& known_units);

}  // namespace pkgaudit::model
