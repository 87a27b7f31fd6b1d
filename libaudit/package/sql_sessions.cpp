#include "package/sql_sessions.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <tuple>
#include <map>
#include <set>

#include <fmt/format.h>

#include "package/package.hpp"
#include "package/shell_values.hpp"
#include "text/glob.hpp"

namespace pkgaudit::model {
namespace {

std::string_view program(const shell::Word& w) {
  const size_t slash = w.text.rfind('/');
  return slash == std::string::npos ? std::string_view(w.text) : std::string_view(w.text).substr(slash + 1);
}

bool is_client(std::string_view prog) { return prog == "psql" || prog == "mysql" || prog == "mariadb"; }

bool has_arg(const shell::Command& c, std::string_view value) {
  return std::any_of(c.args.begin(), c.args.end(), [&](const shell::Word& w) { return w.is_static && w.text == value; });
}


// A migration framework that takes its own lock, as the command runs it
// ("flyway migrate", ...); empty when it is none.
std::string framework_run_by(const shell::Command& c) {
  if (!c.name.is_static) return {};
  const std::string_view p = program(c.name);
  if (p == "flyway" && has_arg(c, "migrate")) return "flyway migrate";
  if (p == "liquibase" && has_arg(c, "update")) return "liquibase update";
  if (p == "alembic" && has_arg(c, "upgrade")) return "alembic upgrade";
  if ((p == "rails" || p == "rake") && has_arg(c, "db:migrate")) return "rails db:migrate";
  if ((p == "python" || p == "python3") && has_arg(c, "manage.py") && has_arg(c, "migrate")) return "Django migrate";
  if (p == "django-admin" && has_arg(c, "migrate")) return "Django migrate";
  return {};
}

struct Source {
  enum Kind { inline_text, sql_file } kind = inline_text;
  std::string text;                 // for text sources
  std::vector<uint32_t> offsets;
  bool shell_expansions = false;
  const File* file = nullptr;       // for text: the file holding it; for file: the .sql file
};

struct Invocation {
  sql::Dialect dialect = sql::Dialect::postgres;
  bool single_transaction = false;
  std::vector<Source> sources;
};

}  // namespace

class SessionBuilder {
 public:
  SessionBuilder(Package& package, const SqlOptions& options) : package_(package), options_(options) {}

  void add_sessions(const std::vector<ScriptView>& views) {
    first_flock_.clear();  // keyed by command views, which the last run released
    for (size_t v = 0; v < views.size(); ++v) {
      const ScriptView& view = views[v];
      rank_ = {file_index(view.file), static_cast<uint32_t>(v), 0};
      note_framework(view);
      for (const shell::Command& c : view.script->commands) {
        invocation(view, c);
        ++std::get<2>(rank_);
      }
    }
    parsed_.clear();
  }

  // A file nothing runs is a session of its own. One that includes nothing
  // (most) touches only its own statements, so its session waits for its
  // batch and reads the file's own model there: nothing is parsed twice
  // or held meanwhile. One that may include others runs now, before any
  // `.sql` batch, as a file it includes may come first. Ranks by file
  // keep the tie-breaks of running them all now, in file order.
  void add_standalone() {
    for (const File& f : package_.files) {
      if (f.kind != FileKind::sql || !f.audited || referenced_.count(&f)) continue;
      if (!f.sql_may_include && f.entry != File::kNoEntry) {
        deferred_.insert(&f);
        continue;
      }
      standalone_session(f);
    }
  }

  void hand_out() {
    // What the last run checked goes now.
    for (const File* f : handed_) embedded_.erase(f);
    handed_.clear();
    const std::set<const File*> checked(package_.checked.begin(), package_.checked.end());
    const auto in_run = [&](const File* f) { return package_.final_run || checked.count(f) > 0; };
    for (auto it = deferred_.begin(); it != deferred_.end();) {
      if (!in_run(*it)) {
        ++it;
        continue;
      }
      standalone_session(**it);
      it = deferred_.erase(it);
    }
    package_.embedded_sql.clear();
    for (auto& [holder, texts] : embedded_) {
      if (!in_run(holder)) continue;
      handed_.push_back(holder);
      for (const EmbeddedSql& e : texts) package_.embedded_sql.push_back(&e);
    }
    package_.sql.clear();
    for (auto it = merged_.begin(); it != merged_.end();) {
      Recorded& r = it->second;
      if (!in_run(r.executed.file)) {
        ++it;
        continue;
      }
      // A `.sql` file's statements were recorded against a parse made for
      // the session; the file's own model, alive in its batch, replaces it.
      if (r.in_file_model) r.executed.statement = statement_at(*r.executed.file, it->first.second);
      if (r.executed.statement) package_.sql.push_back(std::move(r.executed));
      it = merged_.erase(it);
    }
    std::sort(package_.sql.begin(), package_.sql.end(), [](const ExecutedStatement& a, const ExecutedStatement& b) {
      return std::tie(a.file->path, a.statement->span.begin) < std::tie(b.file->path, b.statement->span.begin);
    });
  }

 private:
  // Where an invocation is in the package: file, view, command. Sessions
  // are added run by run, not in file order; when two sessions run a
  // statement equally protected, the first in file order is kept.
  using Rank = std::tuple<uint32_t, uint32_t, uint32_t>;

  uint32_t file_index(const File* f) const { return static_cast<uint32_t>(f - package_.files.data()); }

  void standalone_session(const File& f) {
    const sql::Script* script = sql_of(f);
    if (script) {
      rank_ = {UINT32_MAX, file_index(&f), 0};
      LockState state;
      if (!framework_.empty()) {
        state.external = true;
        state.external_reason = fmt::format("run by {}, which takes its own lock", framework_);
      }
      run_session({}, {{Source::sql_file, {}, {}, false, &f}}, script->dialect, state, "");
    }
    parsed_.clear();  // one file (and what it includes) at a time
  }

  // A `.sql` file as sessions read it: files are parsed in their own batch,
  // after every session is known, so a session parses it again here (kept
  // for the session step, then dropped), unless it is the file's batch.
  const sql::Script* sql_of(const File& f) {
    if (f.kind != FileKind::sql || !f.audited) return nullptr;
    auto [it, inserted] = parsed_.try_emplace(&f);
    if (inserted && f.sql && f.content) {  // in its batch: the same text, parsed the same way
      it->second.text = f.content;
      it->second.borrowed = f.sql.get();
    } else if (inserted) {
      it->second.text = package_.text_of(f);
      if (it->second.text) it->second.script = std::make_unique<sql::Script>(parse_sql_file(*it->second.text, options_.dialect));
    }
    return it->second.borrowed ? it->second.borrowed : it->second.script.get();
  }

  static const sql::Statement* statement_at(const File& f, uint32_t begin) {
    if (!f.sql) return nullptr;
    const auto& all = f.sql->statements;
    const auto it = std::lower_bound(all.begin(), all.end(), begin,
                                     [](const sql::Statement& s, uint32_t b) { return s.span.begin < b; });
    return it != all.end() && it->span.begin == begin ? &*it : nullptr;
  }

  // The first migration framework in file order: its lock covers the files no client runs.
  void note_framework(const ScriptView& view) {
    const uint32_t at = file_index(view.file);
    if (at >= framework_at_) return;
    for (const shell::Command& c : view.script->commands) {
      if (std::string found = framework_run_by(c); !found.empty()) {
        framework_ = std::move(found);
        framework_at_ = at;
        return;
      }
    }
  }

  const File* resolve_sql(std::string_view path, const File* relative_to) {
    if (path.empty()) return nullptr;
    std::string p(path);
    if (relative_to && !p.starts_with('/')) {
      // `\ir` and plain relative paths: try next to the including file first.
      const size_t slash = relative_to->path.rfind('/');
      if (slash != std::string::npos) {
        if (const File* f = package_.resolve_path(relative_to->path.substr(0, slash + 1) + p, FileKind::sql)) return f;
      }
    }
    return package_.resolve_path(p, FileKind::sql);
  }

  bool flock_before(const ScriptView& view, const shell::Command& c) {
    if (std::find(c.wrappers.begin(), c.wrappers.end(), "flock") != c.wrappers.end()) return true;
    // Where the script first takes `flock FD`, found once per script.
    auto [it, inserted] = first_flock_.try_emplace(view.script, UINT32_MAX);
    if (inserted) {
      for (const shell::Command& other : view.script->commands) {
        if (!other.has_name("flock")) continue;
        for (const shell::Word* w : shell::args_without_flags(other, "wE")) {
          if (w->is_static && !w->text.empty() && std::all_of(w->text.begin(), w->text.end(), ::isdigit)) {
            it->second = std::min(it->second, other.span.begin);
          }
        }
      }
    }
    return it->second < c.span.begin;
  }

  // Called for every command of every script: only a command whose name
  // comes from a variable is copied (to put the variable's words in place).
  void invocation(const ScriptView& view, const shell::Command& written) {
    shell::Command expanded;
    const shell::Command* command = &written;
    // `PSQL="psql -v ON_ERROR_STOP=1"; $PSQL -c ...`: the client from a
    // variable assigned once with static text.
    if (!written.name.is_static) {
      std::string var = written.name.text;
      if (var.starts_with("${") && var.ends_with("}")) var = var.substr(2, var.size() - 3);
      else if (var.starts_with("$")) var = var.substr(1);
      else return;
      // Only a plain variable name: `$(cmd)` and `${x:-y}` are not a client.
      if (var.empty() || var.size() > 64 ||
          !std::all_of(var.begin(), var.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; })) {
        return;
      }
      const shell::Word* value = view.script->static_value(var);
      if (!value) return;
      std::vector<shell::Word> words;
      size_t i = 0;
      while (i < value->text.size()) {
        while (i < value->text.size() && value->text[i] == ' ') ++i;
        const size_t b = i;
        while (i < value->text.size() && value->text[i] != ' ') ++i;
        if (i > b) words.push_back({value->text.substr(b, i - b), true, written.name.span, {}});
      }
      if (words.empty() || !is_client(program(words[0]))) return;
      expanded = written;
      expanded.name = words[0];
      expanded.args.insert(expanded.args.begin(), words.begin() + 1, words.end());
      command = &expanded;
    }
    const shell::Command& c = *command;
    const std::string_view prog = program(c.name);
    if (!is_client(prog)) return;
    const bool psql = prog == "psql";
    Invocation inv;
    inv.dialect = psql ? sql::Dialect::postgres : sql::Dialect::mysql;
    const std::string_view valued = psql ? "dhpUvoLFRPT" : "uhPDSe";
    for (size_t i = 0; i < c.args.size(); ++i) {
      const shell::Word& w = c.args[i];
      if (!w.is_static || !w.text.starts_with('-')) continue;
      const std::string& t = w.text;
      auto text_source = [&](const shell::Word& sql_word, size_t skip) {
        if (!sql_word.is_static) return;  // a dynamic SQL string is never guessed
        Source s;
        s.text = sql_word.text.substr(skip);
        s.offsets = sql_word.offsets.expand(std::min(skip, sql_word.offsets.size() - 1));
        s.file = view.file;
        inv.sources.push_back(std::move(s));
      };
      auto file_source = [&](const shell::Word& path_word, size_t skip) {
        shell::Word p = path_word;
        if (skip) {
          if (!p.is_static) return;
          p.text = p.text.substr(skip);
        }
        if (const File* f = resolve_sql(static_path_tail(p), nullptr)) {
          inv.sources.push_back({Source::sql_file, {}, {}, false, f});
        }
      };
      const char command_flag = psql ? 'c' : 'e';
      const std::string long_command = psql ? "--command" : "--execute";
      if (t == std::string{'-', command_flag} && i + 1 < c.args.size()) {
        text_source(c.args[++i], 0);
      } else if (t.size() > 2 && t[0] == '-' && t[1] == command_flag) {
        text_source(w, 2);
      } else if (t.starts_with(long_command + "=")) {
        text_source(w, long_command.size() + 1);
      } else if (t == long_command && i + 1 < c.args.size()) {
        text_source(c.args[++i], 0);
      } else if (psql && t == "-f" && i + 1 < c.args.size()) {
        file_source(c.args[++i], 0);
      } else if (psql && t.starts_with("--file=")) {
        file_source(w, 7);
      } else if (psql && t == "--file" && i + 1 < c.args.size()) {
        file_source(c.args[++i], 0);
      } else if (psql && (t == "-1" || t == "--single-transaction")) {
        inv.single_transaction = true;
      } else if (t.size() == 2 && valued.find(t[1]) != std::string_view::npos) {
        ++i;
      }
    }
    for (const shell::Redirect& r : c.redirects) {
      if (r.op != "<") continue;
      if (const File* f = resolve_sql(static_path_tail(r.target), nullptr)) inv.sources.push_back({Source::sql_file, {}, {}, false, f});
    }
    if (inv.sources.empty()) {
      for (const shell::Heredoc& h : c.heredocs) {
        Source s;
        s.text = h.body;
        s.offsets = h.offsets.expand();
        s.shell_expansions = h.expands;
        s.file = view.file;
        inv.sources.push_back(std::move(s));
      }
    }
    if (inv.sources.empty()) return;
    LockState state;
    state.in_transaction = inv.single_transaction;
    if (flock_before(view, written)) {
      state.external = true;
      state.external_reason = "flock";
    }
    const auto line = view.file->lines ? view.file->lines->position(written.span.begin).line : 0;
    const std::string origin = fmt::format("{} in {}:{}", prog, view.file->path, line);
    run_session(view.file, inv.sources, inv.dialect, state, origin);
  }

  void run_session(const File* caller, const std::vector<Source>& sources, sql::Dialect dialect, LockState state,
                   const std::string& origin) {
    std::set<std::string> created;
    for (const Source& source : sources) run_source(caller, source, dialect, state, created, origin, 0);
  }

  void run_source(const File* caller, const Source& source, sql::Dialect dialect, LockState& state,
                  std::set<std::string>& created, const std::string& origin, int depth) {
    if (depth > 8) return;
    const sql::Script* script = nullptr;
    const File* holder = source.file;
    bool in_file_model = false;
    if (source.kind == Source::sql_file) {
      script = sql_of(*source.file);
      if (!script) return;
      in_file_model = true;
      if (caller) referenced_.insert(source.file);
      // `mysql < file.sql` decides the dialect of a file that did not say.
      if (script->dialect != dialect && options_.dialect.empty()) {
        sql::LexOptions lex;
        lex.dialect = dialect;
        std::deque<EmbeddedSql>& texts = embedded_[source.file];
        texts.push_back({source.file, sql::parse_sql(*parsed_[source.file].text, {}, lex)});
        script = &texts.back().script;
        in_file_model = false;
      }
    } else {
      sql::LexOptions lex;
      lex.dialect = dialect;
      lex.shell_expansions = source.shell_expansions;
      std::deque<EmbeddedSql>& texts = embedded_[source.file];
      texts.push_back({source.file, sql::parse_sql(source.text, source.offsets, lex)});
      script = &texts.back().script;
    }
    bool assumed = false;
    for (const std::string& glob : options_.assume_locked) assumed = assumed || text::glob_match(glob, holder->path);
    for (const sql::Statement& s : script->statements) {
      if (s.kind == sql::Kind::meta) {
        if ((s.meta == "\\i" || s.meta == "\\include" || s.meta == "\\ir" || s.meta == "\\include_relative") &&
            !s.meta_argument.empty()) {
          const bool relative = s.meta == "\\ir" || s.meta == "\\include_relative";
          if (const File* f = resolve_sql(s.meta_argument, relative ? holder : nullptr)) {
            if (!caller) referenced_.insert(f);
            run_source(caller ? caller : holder, {Source::sql_file, {}, {}, false, f}, dialect, state, created, origin,
                       depth + 1);
          }
        }
        continue;
      }
      ExecutedStatement executed;
      executed.file = holder;
      executed.statement = &s;
      executed.dialect = script->dialect;
      executed.state = state;
      if (assumed && !executed.state.external) {
        executed.state.external = true;
        executed.state.external_reason = "assume-locked";
      }
      executed.table_is_new = !s.table.empty() && created.count(s.table) > 0;
      executed.origin = origin;
      record(executed, in_file_model);
      apply(s, state, created);
    }
  }

  static bool timeout_value_on(std::string value) {
    value.erase(std::remove(value.begin(), value.end(), '\''), value.end());
    value.erase(std::remove(value.begin(), value.end(), '"'), value.end());
    return !(value.empty() || value == "0" || value == "0s" || value == "0ms" || value == "DEFAULT" ||
             value == "default");
  }

  static void apply(const sql::Statement& s, LockState& state, std::set<std::string>& created) {
    using sql::Kind;
    switch (s.kind) {
      case Kind::begin:
        state.in_transaction = true;
        break;
      case Kind::commit:
      case Kind::rollback:
        state.in_transaction = false;
        state.xact_lock = false;
        state.local_timeout = false;
        break;
      case Kind::set:
        if (s.setting == "lock_timeout" || s.setting == "lock_wait_timeout") {
          const bool on = timeout_value_on(s.value);
          if (s.local) state.local_timeout = on && state.in_transaction;
          else state.timeout = on;
        }
        break;
      case Kind::reset:
        if (s.setting == "lock_timeout" || s.setting == "all") state.timeout = false;
        break;
      case Kind::lock_table:
        if (state.in_transaction) state.xact_lock = true;
        else state.advisory = true;  // MySQL LOCK TABLES holds until UNLOCK TABLES
        break;
      case Kind::create_table:
        if (!s.table.empty() && !s.table_dynamic) created.insert(s.table);
        break;
      default:
        break;
    }
    if (!s.tokens.empty() && s.tokens[0].is("UNLOCK")) {
      state.advisory = false;
    }
    for (const std::string& f : s.functions) {
      if (f == "PG_ADVISORY_LOCK" || f == "PG_TRY_ADVISORY_LOCK" || f == "GET_LOCK") state.advisory = true;
      if ((f == "PG_ADVISORY_XACT_LOCK" || f == "PG_TRY_ADVISORY_XACT_LOCK") && state.in_transaction) {
        state.xact_lock = true;
      }
      if (f == "PG_ADVISORY_UNLOCK" || f == "PG_ADVISORY_UNLOCK_ALL" || f == "RELEASE_LOCK" || f == "RELEASE_ALL_LOCKS") {
        state.advisory = false;
      }
    }
  }

  // A statement several sessions run keeps its least protected state.
  void record(ExecutedStatement e, bool in_file_model) {
    const auto key = std::make_pair(e.file->path, e.statement->span.begin);
    // Into the session's parse of a `.sql` file, which goes before the
    // statement is handed out: found again by its offset then.
    if (in_file_model) e.statement = nullptr;
    auto it = merged_.find(key);
    if (it == merged_.end()) {
      merged_.emplace(key, Recorded{e, rank_, in_file_model});
      return;
    }
    const auto score = [](const ExecutedStatement& x) {
      return (x.state.migration_lock() ? 2 : 0) + (x.state.lock_timeout() ? 1 : 0) + (x.table_is_new ? 4 : 0);
    };
    const int now = score(e);
    const int before = score(it->second.executed);
    if (now < before || (now == before && rank_ < it->second.rank)) it->second = Recorded{e, rank_, in_file_model};
  }

  struct Recorded {
    ExecutedStatement executed;
    Rank rank;
    bool in_file_model = false;  // the statement is in its file's own model: looked up when handed out
  };

  Package& package_;
  const SqlOptions options_;
  std::string framework_;
  uint32_t framework_at_ = UINT32_MAX;
  Rank rank_;
  std::set<const File*> referenced_;
  std::set<const File*> deferred_;  // files nothing runs, whose session waits for their batch
  std::map<const shell::ShellScript*, uint32_t> first_flock_;
  std::map<std::pair<std::string, uint32_t>, Recorded> merged_;
  // SQL text that is not a file's own model (`psql -c` strings, heredocs,
  // files read again in another dialect), by the file holding it; released
  // once handed out to that file's run.
  std::map<const File*, std::deque<EmbeddedSql>> embedded_;
  std::vector<const File*> handed_;
  struct Parsed {
    std::shared_ptr<const std::string> text;
    std::unique_ptr<sql::Script> script;
    const sql::Script* borrowed = nullptr;  // the file's own model, alive in its batch
  };
  std::map<const File*, Parsed> parsed_;  // this step's parses of `.sql` files
};

sql::Script parse_sql_file(std::string_view text, const std::string& dialect) {
  sql::LexOptions lex;
  lex.dialect = dialect == "mysql"      ? sql::Dialect::mysql
                : dialect == "postgres" ? sql::Dialect::postgres
                                        : sql::guess_dialect(text);
  return sql::parse_sql(text, {}, lex);
}

SqlSessions::SqlSessions(Package& package, const SqlOptions& options)
    : builder_(std::make_unique<SessionBuilder>(package, options)) {}

SqlSessions::~SqlSessions() = default;

void SqlSessions::add_sessions(const std::vector<ScriptView>& views) { builder_->add_sessions(views); }
void SqlSessions::add_standalone() { builder_->add_standalone(); }
void SqlSessions::hand_out() { builder_->hand_out(); }

}  // namespace pkgaudit::model
