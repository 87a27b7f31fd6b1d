// The C API over the C++ one. Every entry point is wrapped so that no C++
// exception reaches a C caller: it becomes PKGAUDIT_ERROR_INTERNAL.
#include "pkgaudit.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <new>
#include <memory>
#include <string>
#include <vector>

#include "pkgaudit/auditor.hpp"
#include "pkgaudit/config.hpp"

namespace {

thread_local std::string t_last_error;

// Owned, NUL-terminated copies: RuleInfo holds string_views.
struct OwnedRule {
  std::string id, name, summary, help, fix;
  pkgaudit_level level = PKGAUDIT_LEVEL_WARNING;
};

std::vector<OwnedRule> owned_rules(const std::vector<pkgaudit::CustomRule>& custom) {
  std::vector<OwnedRule> out;
  for (const pkgaudit::RuleInfo& r : pkgaudit::rule_catalogue(custom)) {
    out.push_back({std::string(r.id), std::string(r.name), std::string(r.summary), std::string(r.help),
                   std::string(r.fix), static_cast<pkgaudit_level>(r.level)});
  }
  return out;
}

pkgaudit_status fail(pkgaudit_status status, std::string message) {
  t_last_error = std::move(message);
  return status;
}

pkgaudit_status from_error(const pkgaudit::Error& e) {
  switch (e.code) {
    case pkgaudit::ErrorCode::usage: return fail(PKGAUDIT_ERROR_USAGE, e.message);
    case pkgaudit::ErrorCode::io: return fail(PKGAUDIT_ERROR_IO, e.message);
    case pkgaudit::ErrorCode::bad_package: return fail(PKGAUDIT_ERROR_BAD_PACKAGE, e.message);
    case pkgaudit::ErrorCode::config: return fail(PKGAUDIT_ERROR_CONFIG, e.message);
    case pkgaudit::ErrorCode::internal: return fail(PKGAUDIT_ERROR_INTERNAL, e.message);
  }
  return fail(PKGAUDIT_ERROR_INTERNAL, e.message);
}

template <class F>
pkgaudit_status guarded(const char* function, F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(PKGAUDIT_ERROR_INTERNAL, std::string(function) + ": out of memory");
  } catch (const std::exception& e) {
    return fail(PKGAUDIT_ERROR_INTERNAL, std::string(function) + ": internal error: " + e.what());
  } catch (...) {
    return fail(PKGAUDIT_ERROR_INTERNAL, std::string(function) + ": internal error");
  }
}

}  // namespace

struct pkgaudit_options {
  pkgaudit::Options options;
  std::vector<OwnedRule> rules = owned_rules({});
};

struct pkgaudit_finding {
  const pkgaudit::Finding* finding = nullptr;
};

// The C API hands out pointers into findings: they are decoded once, here,
// and live as long as the report.
struct pkgaudit_report {
  pkgaudit::Report report;
  std::vector<pkgaudit::Finding> decoded;
  std::vector<pkgaudit_finding> findings;
};

extern "C" {

int pkgaudit_abi_version(void) { return PKGAUDIT_ABI_VERSION; }

const char* pkgaudit_version(void) { return pkgaudit::version_string(); }

const char* pkgaudit_last_error(void) { return t_last_error.c_str(); }

const char* pkgaudit_status_name(pkgaudit_status status) {
  switch (status) {
    case PKGAUDIT_OK: return "ok";
    case PKGAUDIT_ERROR_USAGE: return "usage";
    case PKGAUDIT_ERROR_IO: return "io";
    case PKGAUDIT_ERROR_BAD_PACKAGE: return "bad-package";
    case PKGAUDIT_ERROR_CONFIG: return "config";
    case PKGAUDIT_ERROR_INTERNAL: return "internal";
    case PKGAUDIT_ERROR_BUFFER_TOO_SMALL: return "buffer-too-small";
    case PKGAUDIT_ERROR_RANGE: return "range";
    case PKGAUDIT_STATUS_MAX_ENUM: break;
  }
  return "unknown";
}

pkgaudit_options* pkgaudit_options_new(void) {
  try {
    return new pkgaudit_options();
  } catch (...) {
    t_last_error = "pkgaudit_options_new: out of memory";
    return nullptr;
  }
}

void pkgaudit_options_free(pkgaudit_options* options) { delete options; }

pkgaudit_status pkgaudit_options_set(pkgaudit_options* options, const char* key, const char* value) {
  return guarded("pkgaudit_options_set", [&] {
    if (!options || !key || !value) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_options_set: options, key and value must not be NULL");
    if (auto error = pkgaudit::set_config_value(options->options, key, value)) return from_error(*error);
    return PKGAUDIT_OK;
  });
}

static pkgaudit_status adopt(pkgaudit_options* options, pkgaudit::Result<pkgaudit::Options> loaded) {
  if (!loaded) return from_error(loaded.error());
  std::vector<OwnedRule> rules = owned_rules(loaded.value().custom_rules);
  options->options = std::move(loaded).value();
  options->rules = std::move(rules);
  return PKGAUDIT_OK;
}

pkgaudit_status pkgaudit_options_load_file(pkgaudit_options* options, const char* path) {
  return guarded("pkgaudit_options_load_file", [&] {
    if (!options || !path) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_options_load_file: options and path must not be NULL");
    return adopt(options, pkgaudit::load_config_file(path, options->options));
  });
}

pkgaudit_status pkgaudit_options_load_toml(pkgaudit_options* options, const char* toml, const char* name) {
  return guarded("pkgaudit_options_load_toml", [&] {
    if (!options || !toml) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_options_load_toml: options and toml must not be NULL");
    return adopt(options, pkgaudit::load_config_text(toml, name ? name : "<toml>", "", options->options));
  });
}

static pkgaudit_status deliver(pkgaudit::Result<pkgaudit::Report> result, pkgaudit_report** out) {
  if (!result) return from_error(result.error());
  // Owned until it is handed out: decoding the findings may fail.
  std::unique_ptr<pkgaudit_report> report(new pkgaudit_report{std::move(result).value(), {}, {}});
  report->decoded.assign(report->report.findings.begin(), report->report.findings.end());
  for (const pkgaudit::Finding& f : report->decoded) report->findings.push_back({&f});
  *out = report.release();
  return PKGAUDIT_OK;
}

pkgaudit_status pkgaudit_scan_path(const pkgaudit_options* options, const char* path, pkgaudit_report** out) {
  if (out) *out = nullptr;
  return guarded("pkgaudit_scan_path", [&] {
    if (!path || !out) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_scan_path: path and out must not be NULL");
    const pkgaudit::Options defaults;
    return deliver(pkgaudit::audit_path(path, options ? options->options : defaults), out);
  });
}

pkgaudit_status pkgaudit_scan_buffer(const pkgaudit_options* options, const void* data, size_t size,
                                     const char* display_name, pkgaudit_report** out) {
  if (out) *out = nullptr;
  return guarded("pkgaudit_scan_buffer", [&] {
    if ((!data && size) || !out) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_scan_buffer: data and out must not be NULL");
    const pkgaudit::Options defaults;
    const std::string_view bytes(static_cast<const char*>(data), size);
    return deliver(pkgaudit::audit_zip_bytes(bytes, display_name ? display_name : "package.zip",
                                             options ? options->options : defaults),
                   out);
  });
}

void pkgaudit_report_free(pkgaudit_report* report) { delete report; }

size_t pkgaudit_report_finding_count(const pkgaudit_report* report) { return report ? report->findings.size() : 0; }

const pkgaudit_finding* pkgaudit_report_finding(const pkgaudit_report* report, size_t index) {
  if (!report || index >= report->findings.size()) return nullptr;
  return &report->findings[index];
}

size_t pkgaudit_report_count_at_or_above(const pkgaudit_report* report, pkgaudit_level level) {
  if (!report) return 0;
  size_t n = 0;
  for (const pkgaudit::Finding& f : report->decoded) {
    if (!f.suppressed && f.level != pkgaudit::Level::none && static_cast<int>(f.level) >= static_cast<int>(level)) ++n;
  }
  return n;
}

size_t pkgaudit_report_file_count(const pkgaudit_report* report) {
  if (!report) return 0;
  size_t n = 0;
  for (const pkgaudit::Artifact& a : report->report.artifacts) n += a.parent >= 0 || !report->report.package_is_archive;
  return n;
}

size_t pkgaudit_report_not_audited_count(const pkgaudit_report* report) {
  if (!report) return 0;
  size_t n = 0;
  for (const pkgaudit::Artifact& a : report->report.artifacts) {
    n += (a.parent >= 0 || !report->report.package_is_archive) && !a.audited;
  }
  return n;
}

const char* pkgaudit_finding_rule_id(const pkgaudit_finding* f) { return f ? f->finding->rule_id.c_str() : ""; }

pkgaudit_level pkgaudit_finding_level(const pkgaudit_finding* f) {
  return f ? static_cast<pkgaudit_level>(f->finding->level) : PKGAUDIT_LEVEL_NONE;
}

const char* pkgaudit_finding_message(const pkgaudit_finding* f) { return f ? f->finding->message.c_str() : ""; }

static pkgaudit_location to_c(const pkgaudit::Location& l) {
  return {l.path.c_str(), l.line, l.column, l.end_line, l.end_column};
}

pkgaudit_location pkgaudit_finding_location(const pkgaudit_finding* f) {
  if (!f) return {"", 0, 0, 0, 0};
  return to_c(f->finding->location);
}

const char* pkgaudit_finding_fingerprint(const pkgaudit_finding* f) { return f ? f->finding->fingerprint.c_str() : ""; }

int pkgaudit_finding_suppressed(const pkgaudit_finding* f) { return f && f->finding->suppressed ? 1 : 0; }

size_t pkgaudit_finding_related_count(const pkgaudit_finding* f) { return f ? f->finding->related.size() : 0; }

pkgaudit_status pkgaudit_finding_related(const pkgaudit_finding* f, size_t index, pkgaudit_location* location,
                                         const char** message) {
  if (!f) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_finding_related: finding must not be NULL");
  if (index >= f->finding->related.size()) {
    return fail(PKGAUDIT_ERROR_RANGE, "pkgaudit_finding_related: index " + std::to_string(index) + " past the " +
                                          std::to_string(f->finding->related.size()) + " related locations");
  }
  const pkgaudit::RelatedLocation& r = f->finding->related[index];
  if (location) *location = to_c(r.location);
  if (message) *message = r.message.c_str();
  return PKGAUDIT_OK;
}

pkgaudit_status pkgaudit_report_render(const pkgaudit_report* report, pkgaudit_format format, char* buffer,
                                       size_t capacity, size_t* needed) {
  return guarded("pkgaudit_report_render", [&] {
    if (!report) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_report_render: report must not be NULL");
    std::string text;
    switch (format) {
      case PKGAUDIT_FORMAT_SARIF: text = pkgaudit::render_sarif(report->report); break;
      case PKGAUDIT_FORMAT_TEXT: text = pkgaudit::render_text(report->report, {}); break;
      case PKGAUDIT_FORMAT_JSON: text = pkgaudit::render_json(report->report); break;
      default: return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_report_render: unknown format " + std::to_string(format));
    }
    if (needed) *needed = text.size() + 1;
    if (!buffer || capacity < text.size() + 1) {
      return fail(PKGAUDIT_ERROR_BUFFER_TOO_SMALL, "pkgaudit_report_render: the output needs " +
                                                       std::to_string(text.size() + 1) + " bytes, the buffer has " +
                                                       std::to_string(buffer ? capacity : 0));
    }
    std::memcpy(buffer, text.c_str(), text.size() + 1);
    return PKGAUDIT_OK;
  });
}

pkgaudit_status pkgaudit_report_write(const pkgaudit_report* report, pkgaudit_format format, FILE* out) {
  return guarded("pkgaudit_report_write", [&] {
    if (!report || !out) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_report_write: report and out must not be NULL");
    bool written = false;
    switch (format) {
      case PKGAUDIT_FORMAT_SARIF: written = pkgaudit::write_sarif(report->report, out); break;
      case PKGAUDIT_FORMAT_TEXT: written = pkgaudit::write_text(report->report, {}, out); break;
      case PKGAUDIT_FORMAT_JSON: written = pkgaudit::write_json(report->report, out); break;
      default: return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_report_write: unknown format " + std::to_string(format));
    }
    if (!written) return fail(PKGAUDIT_ERROR_IO, std::string("pkgaudit_report_write: ") + std::strerror(errno));
    return PKGAUDIT_OK;
  });
}

size_t pkgaudit_rule_count(const pkgaudit_options* options) {
  return options ? options->rules.size() : pkgaudit::rule_catalogue().size();
}

pkgaudit_status pkgaudit_rule_get(const pkgaudit_options* options, size_t index, pkgaudit_rule_info* out) {
  return guarded("pkgaudit_rule_get", [&] {
    static const std::vector<OwnedRule> builtin = owned_rules({});
    const std::vector<OwnedRule>& rules = options ? options->rules : builtin;
    if (!out) return fail(PKGAUDIT_ERROR_USAGE, "pkgaudit_rule_get: out must not be NULL");
    if (index >= rules.size()) {
      return fail(PKGAUDIT_ERROR_RANGE, "pkgaudit_rule_get: index " + std::to_string(index) + " past the " +
                                            std::to_string(rules.size()) + " rules");
    }
    const OwnedRule& r = rules[index];
    *out = {r.id.c_str(), r.name.c_str(), r.level, r.summary.c_str(), r.help.c_str(), r.fix.c_str()};
    return PKGAUDIT_OK;
  });
}

}  // extern "C"
