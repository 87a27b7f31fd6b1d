// SARIF 2.1.0. Locations per DESIGN.md: an archive is an artifact of its
// own, every inner file an artifact whose parentIndex is the archive, and
// result URIs are inner paths relative to the uriBaseId PKGROOT.
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "pkgaudit/report.hpp"
#include "pkgaudit/rule_info.hpp"
#include "pkgaudit/version.hpp"
#include "report/json_writer.hpp"
#include "report/summary.hpp"
#include "text/utf8.hpp"

namespace pkgaudit {
namespace {

using report::key;
using report::str;
using report::Writer;

constexpr size_t kMaxResults = 25'000;   // GitHub code scanning, per run
constexpr size_t kMaxLocations = 1'000;  // GitHub code scanning, per result

void message(Writer& w, std::string_view text) {
  key(w, "message");
  w.StartObject();
  key(w, "text");
  str(w, text);
  w.EndObject();
}

const char* sarif_level(Level level) {
  switch (level) {
    case Level::error: return "error";
    case Level::warning: return "warning";
    case Level::note: return "note";
    case Level::none: return "none";
  }
  return "none";
}

const char* source_language(FileKind kind) {
  switch (kind) {
    case FileKind::shell: return "shellscript";
    case FileKind::sql: return "sql";
    case FileKind::systemd_unit: return "ini";
    default: return nullptr;
  }
}

class SarifWriter {
 public:
  SarifWriter(const Report& report, report::Sink& out)
      : report_(report), rules_(rule_catalogue(report.custom_rules)), out_(out), w_(out) {
    for (size_t i = 0; i < report.artifacts.size(); ++i) {
      if (report.package_is_archive && i == 0) continue;
      index_by_path_.emplace(report.artifacts[i].path, i);
    }
  }

  void write() {
    w_.StartObject();
    key(w_, "$schema");
    str(w_, "https://json.schemastore.org/sarif-2.1.0.json");
    key(w_, "version");
    str(w_, "2.1.0");
    key(w_, "runs");
    w_.StartArray();
    run();
    w_.EndArray();
    w_.EndObject();
    if (!w_.IsComplete()) throw std::logic_error("the SARIF writer ended with an unclosed object");
  }

 private:
  void run() {
    w_.StartObject();
    tool();
    if (!report_.category.empty()) {
      key(w_, "automationDetails");
      w_.StartObject();
      key(w_, "id");
      str(w_, report_.category);
      w_.EndObject();
    }
    invocations();
    key(w_, "originalUriBaseIds");
    w_.StartObject();
    key(w_, "PKGROOT");
    w_.StartObject();
    if (!report_.package_is_archive || !report_.source_root.empty()) {
      std::error_code ec;
      const std::string& base = report_.source_root.empty() ? report_.package : report_.source_root;
      std::string root = std::filesystem::absolute(base, ec).lexically_normal().string();
      if (!root.ends_with('/')) root += '/';
      key(w_, "uri");
      str(w_, "file://" + text::uri_escape(text::to_valid_utf8(root)));
    }
    key(w_, "description");
    w_.StartObject();
    key(w_, "text");
    str(w_, !report_.source_root.empty()
                ? std::string("The checked-out tree that holds the unpacked package (--source-root).")
                : report_.package_is_archive
                ? fmt::format("The root inside the package archive {}.", report_.artifacts[0].path)
                : std::string("The root of the unpacked package directory."));
    w_.EndObject();
    w_.EndObject();
    w_.EndObject();
    artifacts();
    key(w_, "columnKind");
    str(w_, "unicodeCodePoints");
    results();
    key(w_, "properties");
    w_.StartObject();
    key(w_, "pkgaudit");
    w_.StartObject();
    const Summary summary = summarise(report_);
    key(w_, "filesByKind");
    w_.StartObject();
    for (const auto& [kind, count] : summary.files_by_kind) {
      key(w_, kind);
      w_.Uint64(count);
    }
    w_.EndObject();
    key(w_, "notAudited");
    w_.Uint64(summary.not_audited);
    key(w_, "signing");
    w_.StartArray();
    for (const SigningSummary& sig : report_.signing) {
      w_.StartObject();
      key(w_, "form");
      str(w_, sig.form);
      key(w_, "signature");
      str(w_, sig.signature);
      key(w_, "signer");
      str(w_, sig.signer);
      key(w_, "fingerprint");
      str(w_, sig.fingerprint);
      key(w_, "chain");
      w_.StartArray();
      for (const std::string& link : sig.chain) str(w_, link);
      w_.EndArray();
      key(w_, "verified");
      w_.Bool(sig.verified);
      key(w_, "trusted");
      w_.Bool(sig.trusted);
      key(w_, "covered");
      w_.Uint64(sig.covered);
      key(w_, "notCovered");
      w_.StartArray();
      for (const std::string& p : sig.not_covered) str(w_, p);
      w_.EndArray();
      w_.EndObject();
    }
    w_.EndArray();
    w_.EndObject();
    w_.EndObject();
    w_.EndObject();
  }

  void tool() {
    key(w_, "tool");
    w_.StartObject();
    key(w_, "driver");
    w_.StartObject();
    key(w_, "name");
    str(w_, "pkgaudit");
    key(w_, "version");
    str(w_, PKGAUDIT_VERSION_STRING);
    key(w_, "semanticVersion");
    str(w_, PKGAUDIT_VERSION_STRING);
    key(w_, "informationUri");
    str(w_, PKGAUDIT_INFORMATION_URI);
    key(w_, "rules");
    w_.StartArray();
    for (const RuleInfo& rule : rules_) descriptor(rule);
    w_.EndArray();
    w_.EndObject();
    w_.EndObject();
  }

  void descriptor(const RuleInfo& rule) {
    w_.StartObject();
    key(w_, "id");
    str(w_, rule.id);
    key(w_, "name");
    str(w_, rule.name);
    key(w_, "shortDescription");
    w_.StartObject();
    key(w_, "text");
    str(w_, fmt::format("{}.", rule.summary));
    w_.EndObject();
    key(w_, "fullDescription");
    w_.StartObject();
    key(w_, "text");
    str(w_, rule.fix.empty() ? fmt::format("{}: {}.", rule.name, rule.summary)
                             : fmt::format("{}: {}. Fix: {}.", rule.name, rule.summary, rule.fix));
    w_.EndObject();
    // Custom rules (X...) are documented by their own configuration.
    const bool builtin = rule.id.starts_with("PA");
    if (builtin) {
      key(w_, "helpUri");
      str(w_, fmt::format("{}/blob/main/docs/rules.md#{}", PKGAUDIT_INFORMATION_URI, fmt::format("{}", rule.id)));
    }
    const std::string_view help = rule.help.empty() ? rule.summary : rule.help;
    key(w_, "help");
    w_.StartObject();
    key(w_, "text");
    str(w_, help);
    key(w_, "markdown");
    str(w_, help);
    w_.EndObject();
    key(w_, "defaultConfiguration");
    w_.StartObject();
    key(w_, "level");
    str(w_, sarif_level(rule.level));
    w_.EndObject();
    key(w_, "properties");
    w_.StartObject();
    key(w_, "tags");
    w_.StartArray();
    for (std::string_view tag : rule.tags) str(w_, tag);
    w_.EndArray();
    key(w_, "precision");
    str(w_, "high");
    if (builtin) {
      key(w_, "security-severity");
      str(w_, fmt::format("{:.1f}", rule.security_severity));
    }
    w_.EndObject();
    w_.EndObject();
  }

  void invocations() {
    key(w_, "invocations");
    w_.StartArray();
    w_.StartObject();
    key(w_, "executionSuccessful");
    w_.Bool(true);
    key(w_, "toolExecutionNotifications");
    w_.StartArray();
    // GitHub code scanning's limits: never silently cut.
    if (report_.findings.size() > kMaxResults) {
      notification("results-capped", "warning",
                   fmt::format("{} results were not written: GitHub code scanning accepts at most {} per run; see "
                               "the text or JSON report for all of them.",
                               report_.findings.size() - kMaxResults, kMaxResults));
    }
    // Results with more related locations than GitHub takes: found on
    // report.jobs threads, as each finding must be decoded to tell.
    using Capped = std::vector<std::pair<size_t, std::string>>;  // related locations, rule
    report::findings_in_order<Capped>(
        report_.findings, report_.findings.size(), 4096, report_.jobs,
        [](const Finding& f, Capped& capped) {
          if (f.related.size() > kMaxLocations) capped.emplace_back(f.related.size(), f.rule_id);
        },
        [&](Capped& capped) {
          for (const auto& [related, rule] : capped) {
            notification("locations-capped", "warning",
                         fmt::format("{} related locations of a {} result were not written: GitHub code scanning "
                                     "accepts at most {} per result.",
                                     related - kMaxLocations, rule, kMaxLocations));
          }
        });
    for (size_t i = 0; i < report_.artifacts.size(); ++i) {
      const Artifact& a = report_.artifacts[i];
      if (a.audited) continue;
      w_.StartObject();
      key(w_, "descriptor");
      w_.StartObject();
      key(w_, "id");
      str(w_, "not-audited");
      w_.EndObject();
      key(w_, "level");
      str(w_, "warning");
      message(w_, fmt::format("Not audited: {}: {}.", a.path, a.not_audited_reason));
      key(w_, "locations");
      w_.StartArray();
      w_.StartObject();
      key(w_, "physicalLocation");
      w_.StartObject();
      artifact_location(a.path, i);
      w_.EndObject();
      w_.EndObject();
      w_.EndArray();
      w_.EndObject();
    }
    w_.EndArray();
    w_.EndObject();
    w_.EndArray();
  }

  void notification(std::string_view id, std::string_view level, const std::string& text) {
    w_.StartObject();
    key(w_, "descriptor");
    w_.StartObject();
    key(w_, "id");
    str(w_, id);
    w_.EndObject();
    key(w_, "level");
    str(w_, level);
    message(w_, text);
    w_.EndObject();
  }

  void artifact_location(std::string_view path, size_t index) {
    key(w_, "artifactLocation");
    w_.StartObject();
    key(w_, "uri");
    str(w_, text::uri_escape(path));
    key(w_, "uriBaseId");
    str(w_, "PKGROOT");
    key(w_, "index");
    w_.Uint64(index);
    w_.EndObject();
  }

  void artifacts() {
    key(w_, "artifacts");
    w_.StartArray();
    for (size_t i = 0; i < report_.artifacts.size(); ++i) {
      const Artifact& a = report_.artifacts[i];
      w_.StartObject();
      key(w_, "location");
      w_.StartObject();
      key(w_, "uri");
      str(w_, text::uri_escape(a.path));
      if (!(report_.package_is_archive && i == 0)) {
        key(w_, "uriBaseId");
        str(w_, "PKGROOT");
      }
      w_.EndObject();
      if (a.parent >= 0) {
        key(w_, "parentIndex");
        w_.Int(a.parent);
      }
      key(w_, "length");
      w_.Uint64(a.size);
      key(w_, "roles");
      w_.StartArray();
      str(w_, report_.package_is_archive && i == 0 ? "analysisTarget" : "analysisTarget");
      w_.EndArray();
      if (const char* lang = source_language(a.kind)) {
        key(w_, "sourceLanguage");
        str(w_, lang);
      }
      w_.EndObject();
    }
    w_.EndArray();
  }

  void physical_location(Writer& w, const Location& loc) const {
    key(w, "physicalLocation");
    w.StartObject();
    const auto it = index_by_path_.find(loc.path);
    const bool the_archive = report_.package_is_archive && loc.path == report_.artifacts[0].path;
    key(w, "artifactLocation");
    w.StartObject();
    key(w, "uri");
    str(w, text::uri_escape(loc.path));
    if (!the_archive) {
      key(w, "uriBaseId");
      str(w, "PKGROOT");
    }
    if (the_archive) {
      key(w, "index");
      w.Uint64(0);
    } else if (it != index_by_path_.end()) {
      key(w, "index");
      w.Uint64(it->second);
    }
    w.EndObject();
    if (loc.line > 0) {
      key(w, "region");
      w.StartObject();
      key(w, "startLine");
      w.Uint(loc.line);
      if (loc.column > 0) {
        key(w, "startColumn");
        w.Uint(loc.column);
        key(w, "endLine");
        w.Uint(loc.end_line);
        key(w, "endColumn");
        w.Uint(loc.end_column);
      }
      if (!loc.snippet.empty()) {
        key(w, "snippet");
        w.StartObject();
        key(w, "text");
        str(w, loc.snippet);
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndObject();
  }

  void result(Writer& w, const Finding& f, const std::map<std::string_view, size_t>& rule_index) const {
    w.StartObject();
    key(w, "ruleId");
    str(w, f.rule_id);
    if (const auto it = rule_index.find(f.rule_id); it != rule_index.end()) {
      key(w, "ruleIndex");
      w.Uint64(it->second);
    }
    key(w, "level");
    str(w, sarif_level(f.level));
    message(w, f.message);
    key(w, "locations");
    w.StartArray();
    w.StartObject();
    physical_location(w, f.location);
    w.EndObject();
    w.EndArray();
    if (!f.related.empty()) {
      key(w, "relatedLocations");
      w.StartArray();
      for (size_t i = 0; i < f.related.size() && i < kMaxLocations; ++i) {
        w.StartObject();
        key(w, "id");
        w.Uint64(i + 1);
        physical_location(w, f.related[i].location);
        message(w, f.related[i].message);
        w.EndObject();
      }
      w.EndArray();
    }
    if (f.suppressed) {
      key(w, "suppressions");
      w.StartArray();
      w.StartObject();
      key(w, "kind");
      str(w, "inSource");
      key(w, "justification");
      str(w, f.justification);
      w.EndObject();
      w.EndArray();
    }
    if (report_.baseline_applied && f.baseline != BaselineState::none) {
      key(w, "baselineState");
      str(w, baseline_state_name(f.baseline));
    }
    key(w, "partialFingerprints");
    w.StartObject();
    key(w, "primaryLocationLineHash");
    str(w, f.line_hash);
    key(w, "pkgaudit/v1");
    str(w, f.fingerprint);
    w.EndObject();
    w.EndObject();
  }

  void results() {
    std::map<std::string_view, size_t> rule_index;
    const auto& catalogue = rules_;
    for (size_t i = 0; i < catalogue.size(); ++i) rule_index.emplace(catalogue[i].id, i);
    key(w_, "results");
    w_.StartArray();
    report::findings_array(out_, report_.findings, std::min(report_.findings.size(), kMaxResults), report_.jobs,
                           [&](Writer& w, const Finding& f) { result(w, f, rule_index); });
    w_.EndArray();
  }

  const Report& report_;
  std::vector<RuleInfo> rules_;  // built-in, then the report's custom rules
  report::Sink& out_;
  Writer w_;
  std::map<std::string_view, size_t> index_by_path_;  // views of the report's artifact paths
};

}  // namespace

std::string render_sarif(const Report& report) {
  report::Sink out;
  SarifWriter(report, out).write();
  return out.take();
}

bool write_sarif(const Report& report, std::FILE* file) {
  report::Sink out(file);
  SarifWriter(report, out).write();
  return out.finish();
}

}  // namespace pkgaudit
