/* Exercises every function of the C API, error paths included, against
 * the bundled dten package. Plain C11: what a C caller would write.
 * Usage: c_api_test DTEN.zip DTEN-TREE CUSTOM-RULES.toml */
#include <pkgaudit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail_alloc.h"

static int failures = 0;

#define CHECK(cond)                                                    \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                      \
    }                                                                  \
  } while (0)

static int starts_with(const char* s, const char* prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static char* read_all(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* data = malloc((size_t)n);
  *size = fread(data, 1, (size_t)n, f);
  fclose(f);
  return data;
}

static const char* kCustom =
    "[[custom-rules]]\n"
    "id = \"X001\"\n"
    "name = \"retired-partner-host\"\n"
    "level = \"error\"\n"
    "message = \"{tool} still talks to {host}\"\n"
    "host = [\"sftp-old.partner.example.com\"]\n";

static void versions_and_errors(void) {
  CHECK(pkgaudit_abi_version() == PKGAUDIT_ABI_VERSION);
  CHECK(strlen(pkgaudit_version()) >= 5);
  CHECK(strcmp(pkgaudit_status_name(PKGAUDIT_OK), "ok") == 0);
  CHECK(strcmp(pkgaudit_status_name(PKGAUDIT_ERROR_BAD_PACKAGE), "bad-package") == 0);
  CHECK(strcmp(pkgaudit_status_name((pkgaudit_status)99), "unknown") == 0);
}

static void options_and_rules(const char* toml_file) {
  pkgaudit_options* o = pkgaudit_options_new();
  CHECK(o != NULL);
  CHECK(pkgaudit_options_set(o, "hosts.retired", "a.example.com,b.example.com") == PKGAUDIT_OK);
  CHECK(pkgaudit_options_set(o, "limits.entries", "500") == PKGAUDIT_OK);
  CHECK(pkgaudit_options_set(o, "rules.level", "PA304=none") == PKGAUDIT_OK);
  CHECK(pkgaudit_options_set(o, "hosts.retierd", "x") == PKGAUDIT_ERROR_USAGE);
  CHECK(starts_with(pkgaudit_last_error(), "unknown option 'hosts.retierd'"));
  CHECK(pkgaudit_options_set(o, "signing.require", "maybe") == PKGAUDIT_ERROR_USAGE);
  CHECK(strcmp(pkgaudit_last_error(), "signing.require: expected true or false, not 'maybe'") == 0);
  CHECK(pkgaudit_options_set(NULL, "a.b", "c") == PKGAUDIT_ERROR_USAGE);
  CHECK(pkgaudit_options_set(o, NULL, "c") == PKGAUDIT_ERROR_USAGE);

  pkgaudit_options* from_file = pkgaudit_options_new();
  CHECK(pkgaudit_options_load_file(from_file, toml_file) == PKGAUDIT_OK);
  CHECK(pkgaudit_rule_count(from_file) == pkgaudit_rule_count(NULL) + 1);
  pkgaudit_options_free(from_file);
  CHECK(pkgaudit_options_load_file(o, "/nonexistent/pkgaudit.toml") == PKGAUDIT_ERROR_CONFIG);
  CHECK(strstr(pkgaudit_last_error(), "/nonexistent/pkgaudit.toml") != NULL);
  CHECK(pkgaudit_options_load_toml(o, "[scan]\njobs = \"many\"\n", "inline.toml") == PKGAUDIT_ERROR_CONFIG);
  CHECK(strcmp(pkgaudit_last_error(), "inline.toml:2:8: [scan] jobs must be a non-negative integer") == 0);
  CHECK(pkgaudit_options_load_toml(o, NULL, NULL) == PKGAUDIT_ERROR_USAGE);
  CHECK(pkgaudit_options_load_file(NULL, "x") == PKGAUDIT_ERROR_USAGE);

  const size_t builtin = pkgaudit_rule_count(NULL);
  CHECK(builtin >= 26);
  CHECK(pkgaudit_rule_count(o) == builtin);
  CHECK(pkgaudit_options_load_toml(o, kCustom, "custom.toml") == PKGAUDIT_OK);
  CHECK(pkgaudit_rule_count(o) == builtin + 1);
  pkgaudit_rule_info info;
  CHECK(pkgaudit_rule_get(NULL, 0, &info) == PKGAUDIT_OK);
  CHECK(strcmp(info.id, "PA001") == 0 && strlen(info.summary) > 0 && strlen(info.help) > 0 && strlen(info.fix) > 0);
  CHECK(pkgaudit_rule_get(o, builtin, &info) == PKGAUDIT_OK);
  CHECK(strcmp(info.id, "X001") == 0 && strcmp(info.name, "retired-partner-host") == 0);
  CHECK(info.level == PKGAUDIT_LEVEL_ERROR && strcmp(info.fix, "") == 0);
  CHECK(pkgaudit_rule_get(o, builtin + 1, &info) == PKGAUDIT_ERROR_RANGE);
  CHECK(strstr(pkgaudit_last_error(), "past the") != NULL);
  CHECK(pkgaudit_rule_get(o, 0, NULL) == PKGAUDIT_ERROR_USAGE);
  pkgaudit_options_free(o);
  pkgaudit_options_free(NULL);
}

static size_t count_rule(const pkgaudit_report* r, const char* id) {
  size_t n = 0;
  for (size_t i = 0; i < pkgaudit_report_finding_count(r); ++i) {
    n += strcmp(pkgaudit_finding_rule_id(pkgaudit_report_finding(r, i)), id) == 0;
  }
  return n;
}

static void scanning(const char* zip, const char* tree) {
  pkgaudit_options* o = pkgaudit_options_new();
  CHECK(pkgaudit_options_load_toml(o, kCustom, "custom.toml") == PKGAUDIT_OK);
  CHECK(pkgaudit_options_set(o, "hosts.retired", "sftp-old.partner.example.com") == PKGAUDIT_OK);
  CHECK(pkgaudit_options_set(o, "scan.jobs", "2") == PKGAUDIT_OK);

  pkgaudit_report* r = NULL;
  CHECK(pkgaudit_scan_path(o, zip, &r) == PKGAUDIT_OK);
  if (!r) return;
  const size_t n = pkgaudit_report_finding_count(r);
  CHECK(n > 5);
  CHECK(count_rule(r, "PA501") >= 1);
  CHECK(count_rule(r, "X001") == count_rule(r, "PA501"));
  CHECK(pkgaudit_report_finding(r, n) == NULL);
  size_t related = 0;
  for (size_t i = 0; i < n; ++i) {
    const pkgaudit_finding* f = pkgaudit_report_finding(r, i);
    const pkgaudit_location loc = pkgaudit_finding_location(f);
    CHECK(strlen(pkgaudit_finding_message(f)) > 0);
    CHECK(strlen(pkgaudit_finding_fingerprint(f)) == 32);
    CHECK(pkgaudit_finding_level(f) >= PKGAUDIT_LEVEL_NOTE);
    CHECK(loc.path != NULL && strlen(loc.path) > 0);
    CHECK(loc.end_line == 0 || loc.end_line >= loc.line);
    CHECK(pkgaudit_finding_suppressed(f) == 0 || pkgaudit_finding_suppressed(f) == 1);
    if (strcmp(pkgaudit_finding_rule_id(f), "X001") == 0) {
      CHECK(strstr(pkgaudit_finding_message(f), "still talks to sftp-old.partner.example.com") != NULL);
      CHECK(pkgaudit_finding_level(f) == PKGAUDIT_LEVEL_ERROR);
    }
    for (size_t k = 0; k < pkgaudit_finding_related_count(f); ++k) {
      pkgaudit_location rl;
      const char* message = NULL;
      CHECK(pkgaudit_finding_related(f, k, &rl, &message) == PKGAUDIT_OK);
      CHECK(message != NULL && strlen(message) > 0 && rl.line > 0);
      ++related;
    }
    CHECK(pkgaudit_finding_related(f, pkgaudit_finding_related_count(f), NULL, NULL) == PKGAUDIT_ERROR_RANGE);
  }
  CHECK(related > 0);  /* the cron job that runs the import script */
  CHECK(pkgaudit_finding_related(NULL, 0, NULL, NULL) == PKGAUDIT_ERROR_USAGE);
  CHECK(pkgaudit_report_count_at_or_above(r, PKGAUDIT_LEVEL_ERROR) >= count_rule(r, "X001"));
  CHECK(pkgaudit_report_count_at_or_above(r, PKGAUDIT_LEVEL_NOTE) >= pkgaudit_report_count_at_or_above(r, PKGAUDIT_LEVEL_ERROR));
  CHECK(pkgaudit_report_file_count(r) > 10);
  CHECK(pkgaudit_report_not_audited_count(r) < pkgaudit_report_file_count(r));

  /* Rendering into a caller-owned buffer: ask, allocate, render. */
  const pkgaudit_format formats[] = {PKGAUDIT_FORMAT_SARIF, PKGAUDIT_FORMAT_TEXT, PKGAUDIT_FORMAT_JSON};
  for (int i = 0; i < 3; ++i) {
    size_t needed = 0;
    CHECK(pkgaudit_report_render(r, formats[i], NULL, 0, &needed) == PKGAUDIT_ERROR_BUFFER_TOO_SMALL);
    CHECK(needed > 100);
    char small[8];
    CHECK(pkgaudit_report_render(r, formats[i], small, sizeof small, NULL) == PKGAUDIT_ERROR_BUFFER_TOO_SMALL);
    char* buffer = malloc(needed);
    CHECK(pkgaudit_report_render(r, formats[i], buffer, needed, NULL) == PKGAUDIT_OK);
    CHECK(strlen(buffer) + 1 == needed);
    if (formats[i] == PKGAUDIT_FORMAT_SARIF) CHECK(strstr(buffer, "\"2.1.0\"") != NULL && strstr(buffer, "\"X001\"") != NULL);
    if (formats[i] == PKGAUDIT_FORMAT_TEXT) CHECK(strstr(buffer, "[X001]") != NULL);
    if (formats[i] == PKGAUDIT_FORMAT_JSON) CHECK(buffer[0] == '{' && strstr(buffer, "retired-partner-host") != NULL);
    free(buffer);
  }
  /* Streamed to a FILE*: the same bytes as rendered, without the NUL. */
  for (int i = 0; i < 3; ++i) {
    size_t needed = 0;
    CHECK(pkgaudit_report_render(r, formats[i], NULL, 0, &needed) == PKGAUDIT_ERROR_BUFFER_TOO_SMALL);
    char* rendered = malloc(needed);
    CHECK(pkgaudit_report_render(r, formats[i], rendered, needed, NULL) == PKGAUDIT_OK);
    FILE* file = tmpfile();
    CHECK(file != NULL);
    CHECK(pkgaudit_report_write(r, formats[i], file) == PKGAUDIT_OK);
    CHECK((size_t)ftell(file) + 1 == needed);
    rewind(file);
    char* streamed = calloc(needed, 1);
    CHECK(fread(streamed, 1, needed - 1, file) == needed - 1);
    CHECK(memcmp(streamed, rendered, needed) == 0);
    fclose(file);
    free(streamed);
    free(rendered);
  }
  FILE* full = fopen("/dev/full", "w");
  if (full) {
    CHECK(pkgaudit_report_write(r, PKGAUDIT_FORMAT_SARIF, full) == PKGAUDIT_ERROR_IO);
    CHECK(strstr(pkgaudit_last_error(), "pkgaudit_report_write") != NULL);
    fclose(full);
  }
  CHECK(pkgaudit_report_write(r, PKGAUDIT_FORMAT_SARIF, NULL) == PKGAUDIT_ERROR_USAGE);
  CHECK(pkgaudit_report_write(r, (pkgaudit_format)42, stdout) == PKGAUDIT_ERROR_USAGE);
  CHECK(pkgaudit_report_render(r, (pkgaudit_format)42, NULL, 0, NULL) == PKGAUDIT_ERROR_USAGE);
  CHECK(pkgaudit_report_render(NULL, PKGAUDIT_FORMAT_TEXT, NULL, 0, NULL) == PKGAUDIT_ERROR_USAGE);

  /* The same zip from memory: the same findings. */
  size_t size = 0;
  char* bytes = read_all(zip, &size);
  CHECK(bytes != NULL);
  pkgaudit_report* from_memory = NULL;
  CHECK(pkgaudit_scan_buffer(o, bytes, size, "dten.zip", &from_memory) == PKGAUDIT_OK);
  CHECK(pkgaudit_report_finding_count(from_memory) == n);
  pkgaudit_report_free(from_memory);
  free(bytes);

  /* The unpacked tree, with default options. */
  pkgaudit_report* from_tree = NULL;
  CHECK(pkgaudit_scan_path(NULL, tree, &from_tree) == PKGAUDIT_OK);
  CHECK(pkgaudit_report_finding_count(from_tree) > 0);
  CHECK(count_rule(from_tree, "X001") == 0);
  pkgaudit_report_free(from_tree);

  /* Failures: the out pointer is NULL, the code says why. */
  pkgaudit_report* none = r;
  CHECK(pkgaudit_scan_path(o, "/nonexistent/package.zip", &none) == PKGAUDIT_ERROR_IO);
  CHECK(none == NULL);
  CHECK(strstr(pkgaudit_last_error(), "/nonexistent/package.zip") != NULL);
  CHECK(pkgaudit_scan_buffer(o, "PK\x03\x04garbage", 11, "garbage.zip", &none) == PKGAUDIT_ERROR_BAD_PACKAGE);
  CHECK(none == NULL);
  CHECK(pkgaudit_scan_path(o, NULL, &none) == PKGAUDIT_ERROR_USAGE);
  CHECK(pkgaudit_scan_path(o, zip, NULL) == PKGAUDIT_ERROR_USAGE);
  CHECK(pkgaudit_scan_buffer(o, NULL, 5, "x", &none) == PKGAUDIT_ERROR_USAGE);

  pkgaudit_report_free(r);
  pkgaudit_report_free(NULL);
  pkgaudit_options_free(o);
}

/* An internal failure (here an allocation that throws deep inside the
 * audit) comes back as PKGAUDIT_ERROR_INTERNAL: never an exception, never
 * an abort. Allocation n fails, for n across the whole audit. */
static void internal_failures(const char* zip) {
  pkgaudit_options* o = pkgaudit_options_new();
  CHECK(pkgaudit_options_set(o, "scan.jobs", "1") == PKGAUDIT_OK);
  int internal = 0, ok = 0;
  for (long n = 1; n < 2000000; n = n * 3 / 2 + 1) {
    pkgaudit_report* r = NULL;
    fail_allocation_number(n);
    const pkgaudit_status status = pkgaudit_scan_path(o, zip, &r);
    fail_allocation_number(0);
    if (status == PKGAUDIT_OK) {
      ++ok;
      CHECK(r != NULL);
    } else {
      CHECK(status == PKGAUDIT_ERROR_INTERNAL);
      CHECK(r == NULL);
      CHECK(strstr(pkgaudit_last_error(), "out of memory") != NULL);
      ++internal;
    }
    pkgaudit_report_free(r);
  }
  CHECK(internal > 10);
  CHECK(ok >= 1);  /* past the last allocation the scan succeeds */
  pkgaudit_options_free(o);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DTEN.zip DTEN-TREE CUSTOM-RULES.toml\n", argv[0]);
    return 2;
  }
  versions_and_errors();
  options_and_rules(argv[3]);
  scanning(argv[1], argv[2]);
  internal_failures(argv[1]);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  else printf("c_api_test: all checks passed\n");
  return failures ? 1 : 0;
}
