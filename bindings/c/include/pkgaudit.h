/* pkgaudit's C API: audit a vendor upgrade package from C, or from any
 * language with a C FFI (Go, Rust, Python's ctypes).
 *
 * Conventions
 * - Every object is an opaque handle created by a `_new` or `scan` function
 *   and released by the matching `_free`; `_free(NULL)` does nothing.
 * - Functions that can fail return a pkgaudit_status; on failure,
 *   pkgaudit_last_error() describes it (per thread, until the next call that
 *   fails on that thread). No C++ exception ever crosses this boundary.
 * - Strings are UTF-8 and NUL-terminated. A `const char*` returned by an
 *   accessor is owned by the handle it came from and stays valid until that
 *   handle is freed.
 * - Handles are not thread-safe; distinct handles may be used on distinct
 *   threads at once.
 */
#ifndef PKGAUDIT_H
#define PKGAUDIT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PKGAUDIT_C_API __attribute__((visibility("default")))
#else
#define PKGAUDIT_C_API
#endif

/* The ABI this header describes. It changes only when a function's
 * signature or meaning changes; new functions keep it. Compare with
 * pkgaudit_abi_version() at run time. */
#define PKGAUDIT_ABI_VERSION 1

typedef enum pkgaudit_status {
  PKGAUDIT_OK = 0,
  PKGAUDIT_ERROR_USAGE = 1,        /* a caller mistake: NULL handle, unknown key, bad value */
  PKGAUDIT_ERROR_IO = 2,           /* a file could not be read */
  PKGAUDIT_ERROR_BAD_PACKAGE = 3,  /* not a zip, truncated, unreadable central directory */
  PKGAUDIT_ERROR_CONFIG = 4,       /* a configuration file was rejected */
  PKGAUDIT_ERROR_INTERNAL = 5,     /* a bug or out of memory inside pkgaudit */
  PKGAUDIT_ERROR_BUFFER_TOO_SMALL = 6, /* see pkgaudit_report_render */
  PKGAUDIT_ERROR_RANGE = 7,        /* an index past the end */
  /* Not a status: makes the enum int-sized in C and C++ alike, so any int
   * a caller passes is a valid value to check. */
  PKGAUDIT_STATUS_MAX_ENUM = 0x7fffffff
} pkgaudit_status;

typedef enum pkgaudit_level {
  PKGAUDIT_LEVEL_NONE = 0,
  PKGAUDIT_LEVEL_NOTE = 1,
  PKGAUDIT_LEVEL_WARNING = 2,
  PKGAUDIT_LEVEL_ERROR = 3,
  PKGAUDIT_LEVEL_MAX_ENUM = 0x7fffffff /* not a level; see PKGAUDIT_STATUS_MAX_ENUM */
} pkgaudit_level;

typedef enum pkgaudit_format {
  PKGAUDIT_FORMAT_SARIF = 0,  /* SARIF 2.1.0 */
  PKGAUDIT_FORMAT_TEXT = 1,   /* the CLI's readable report, no colour */
  PKGAUDIT_FORMAT_JSON = 2,   /* docs/json-format.md */
  PKGAUDIT_FORMAT_MAX_ENUM = 0x7fffffff /* not a format; see PKGAUDIT_STATUS_MAX_ENUM */
} pkgaudit_format;

typedef struct pkgaudit_options pkgaudit_options;
typedef struct pkgaudit_report pkgaudit_report;
typedef struct pkgaudit_finding pkgaudit_finding;

/* A place in a package file: 1-based lines and columns (Unicode code
 * points), exclusive end. end_line 0: a finding about the file as a whole
 * (its name, its signature), placed at line 1 or 0 with no region. */
typedef struct pkgaudit_location {
  const char* path;
  uint32_t line;
  uint32_t column;
  uint32_t end_line;
  uint32_t end_column;
} pkgaudit_location;

typedef struct pkgaudit_rule_info {
  const char* id;       /* "PA201", or a custom rule's "X001" */
  const char* name;     /* "assumed-sudo" */
  pkgaudit_level level; /* default level */
  const char* summary;  /* one line */
  const char* help;     /* markdown */
  const char* fix;      /* one line; "" for custom rules */
} pkgaudit_rule_info;

/* ---- Versions and errors ------------------------------------------------ */

PKGAUDIT_C_API int pkgaudit_abi_version(void);
/* "0.1.0"; static storage. */
PKGAUDIT_C_API const char* pkgaudit_version(void);
/* The message of the last failure on this thread; "" when none. Owned by
 * the library, valid until the next failing call on this thread. */
PKGAUDIT_C_API const char* pkgaudit_last_error(void);
/* "ok", "usage", "io", ...; static storage. */
PKGAUDIT_C_API const char* pkgaudit_status_name(pkgaudit_status status);

/* ---- Options ------------------------------------------------------------ */

/* Defaults as documented in docs/config.md. Returns NULL only when out of
 * memory. The caller owns the result: pkgaudit_options_free. */
PKGAUDIT_C_API pkgaudit_options* pkgaudit_options_new(void);
PKGAUDIT_C_API void pkgaudit_options_free(pkgaudit_options* options);
/* Any key of pkgaudit.toml as "section.key" ("hosts.retired",
 * "limits.entries", "rules.select", "rules.level"), with the value as text:
 * lists comma-separated, booleans "true"/"false", rules.level as
 * "PA201=error,PA202=none". Validated as the file is. */
PKGAUDIT_C_API pkgaudit_status pkgaudit_options_set(pkgaudit_options* options, const char* key, const char* value);
/* Reads a pkgaudit.toml (custom rules included) over the current values. */
PKGAUDIT_C_API pkgaudit_status pkgaudit_options_load_file(pkgaudit_options* options, const char* path);
/* The same from TOML text; `name` labels error messages. */
PKGAUDIT_C_API pkgaudit_status pkgaudit_options_load_toml(pkgaudit_options* options, const char* toml, const char* name);

/* ---- Scanning ----------------------------------------------------------- */

/* Audits a zip file or an unpacked package directory. `options` may be NULL
 * (defaults). On success *out is a new report the caller frees with
 * pkgaudit_report_free; on failure *out is NULL. */
PKGAUDIT_C_API pkgaudit_status pkgaudit_scan_path(const pkgaudit_options* options, const char* path,
                                                  pkgaudit_report** out);
/* Audits a zip held in memory (copied; the caller keeps `data`).
 * `display_name` names the package in the report. */
PKGAUDIT_C_API pkgaudit_status pkgaudit_scan_buffer(const pkgaudit_options* options, const void* data, size_t size,
                                                    const char* display_name, pkgaudit_report** out);
PKGAUDIT_C_API void pkgaudit_report_free(pkgaudit_report* report);

/* ---- Reports and findings ----------------------------------------------- */

PKGAUDIT_C_API size_t pkgaudit_report_finding_count(const pkgaudit_report* report);
/* Borrowed from the report; NULL past the end. Sorted by path, line,
 * column, rule. */
PKGAUDIT_C_API const pkgaudit_finding* pkgaudit_report_finding(const pkgaudit_report* report, size_t index);
/* Findings at or above `level` that are not suppressed: what --fail-on counts. */
PKGAUDIT_C_API size_t pkgaudit_report_count_at_or_above(const pkgaudit_report* report, pkgaudit_level level);
/* Files of the package, and how many of them were not audited (a limit, a
 * binary, an encrypted entry); see the rendered reports for the reasons. */
PKGAUDIT_C_API size_t pkgaudit_report_file_count(const pkgaudit_report* report);
PKGAUDIT_C_API size_t pkgaudit_report_not_audited_count(const pkgaudit_report* report);

PKGAUDIT_C_API const char* pkgaudit_finding_rule_id(const pkgaudit_finding* finding);
PKGAUDIT_C_API pkgaudit_level pkgaudit_finding_level(const pkgaudit_finding* finding);
PKGAUDIT_C_API const char* pkgaudit_finding_message(const pkgaudit_finding* finding);
PKGAUDIT_C_API pkgaudit_location pkgaudit_finding_location(const pkgaudit_finding* finding);
/* Stable across edits above the line (SARIF partialFingerprints pkgaudit/v1). */
PKGAUDIT_C_API const char* pkgaudit_finding_fingerprint(const pkgaudit_finding* finding);
/* 1 when an inline `pkgaudit: ignore[...]` matched it. */
PKGAUDIT_C_API int pkgaudit_finding_suppressed(const pkgaudit_finding* finding);
/* Related locations: the cron line or unit that runs the script, ... */
PKGAUDIT_C_API size_t pkgaudit_finding_related_count(const pkgaudit_finding* finding);
PKGAUDIT_C_API pkgaudit_status pkgaudit_finding_related(const pkgaudit_finding* finding, size_t index,
                                                        pkgaudit_location* location, const char** message);

/* Renders into the caller's buffer, NUL-terminated. *needed (when not NULL)
 * receives the size the whole output needs, NUL included; a buffer too
 * small (NULL with capacity 0 asks for the size) returns
 * PKGAUDIT_ERROR_BUFFER_TOO_SMALL and writes nothing. */
PKGAUDIT_C_API pkgaudit_status pkgaudit_report_render(const pkgaudit_report* report, pkgaudit_format format,
                                                      char* buffer, size_t capacity, size_t* needed);
/* The same bytes (without the NUL), written to `out` as they are
 * produced: the report of a large package runs to hundreds of MiB and
 * need not be held whole, nor rendered twice. PKGAUDIT_ERROR_IO when a
 * write failed (errno says why); what was written stays written. */
PKGAUDIT_C_API pkgaudit_status pkgaudit_report_write(const pkgaudit_report* report, pkgaudit_format format,
                                                     FILE* out);

/* ---- Rules -------------------------------------------------------------- */

/* Every built-in rule, then `options`' custom rules (options may be NULL).
 * The strings live as long as `options` (static for built-in rules). */
PKGAUDIT_C_API size_t pkgaudit_rule_count(const pkgaudit_options* options);
PKGAUDIT_C_API pkgaudit_status pkgaudit_rule_get(const pkgaudit_options* options, size_t index,
                                                 pkgaudit_rule_info* out);

#ifdef __cplusplus
}
#endif

#endif /* PKGAUDIT_H */
