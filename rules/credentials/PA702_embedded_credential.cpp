#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "package/endpoints.hpp"
#include "package/package.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"
#include "text/ascii.hpp"

namespace pkgaudit::rules {
namespace {

std::string lower(std::string_view s) { return text::ascii_lower(s); }
std::string upper(std::string_view s) { return text::ascii_upper(s); }

constexpr std::string_view kHelp = R"md(## What it does
Finds credentials shipped in the package, with hand-written matchers (no
regular expressions run on package content):

- private keys: PEM `PRIVATE KEY` blocks of every kind (RSA, EC, DSA,
  PKCS#8, encrypted), OpenSSH and PGP private keys, PKCS#12 files
  (`.p12`, `.pfx`);
- literal passwords and tokens assigned to names that say so
  (`PASSWORD=`, `*_PASSWD=`, `*_TOKEN=`, `*_SECRET=`, `*_API_KEY=`, ...) in
  shell and env files, crontab environment lines, unit `Environment=` lines
  and config files (`key = value`, `key: value`, `"key": "value"`);
- passwords on command lines: `mysql -pSECRET`/`--password=`,
  `sshpass -p`, `curl -u user:pass`, `redis-cli -a`;
- `scheme://user:password@host` URLs and `.netrc` passwords;
- well-known token formats: AWS access key ids (`AKIA`/`ASIA`, with the
  secret when one is near), GitHub (`ghp_`, `github_pat_`, ...), Slack
  (`xox?-`), Stripe live keys (`sk_live_`), Google API keys (`AIza`).

A value that is a variable reference, empty, or an obvious placeholder
(`changeme`, `<password>`, `${...}`, `xxx`, `example`) is not a finding.
Findings never print the secret: only its first 4 characters and length.

## Why is this bad?
Everything in a vendor package is shared with every customer that receives
it and stays in artifact stores and backups for years. A password or key in
the package is no longer a secret, and "ephemeral" upgrade credentials
outlive the upgrade.

## Example
```sh
DB_PASSWORD='Xk29!vQp7#dten2024'
```

## Use instead
```sh
DB_PASSWORD="$(systemd-creds cat dten-db-password)"   # or the operator's secret store
```
)md";



// A name that says it holds a secret: DB_PASSWORD, api_token, clientSecret.
bool secret_name(std::string_view name) {
  const std::string u = upper(name);
  for (std::string_view not_secret : {"_FILE", "_PATH", "_URL", "_USER", "_USERNAME", "_NAME", "_HINT", "_DIR",
                                      "_LENGTH", "_POLICY", "_PROMPT", "_EXPIRY", "_TTL", "_ID"}) {
    if (u.ends_with(not_secret)) return false;
  }
  for (std::string_view secret : {"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "APIKEY", "API_KEY",
                                  "ACCESS_KEY", "PRIVATE_KEY", "AUTH_KEY", "CREDENTIAL"}) {
    if (u.find(secret) != std::string::npos) return true;
  }
  return u == "PASS" || u == "PWD_DB" || u.ends_with("_PASS") || u.ends_with("_PWD");
}

bool placeholder(std::string_view value) {
  if (value.size() < 3) return true;
  if (value.find('$') != std::string_view::npos || value.find('`') != std::string_view::npos) return true;
  if (value.front() == '<' && value.back() == '>') return true;
  if (value.front() == '{' && value.back() == '}') return true;
  if (value.starts_with("%(") || value.starts_with("{{")) return true;
  const std::string l = lower(value);
  static const std::set<std::string, std::less<>> kWords{
      "changeme", "change_me", "change-me", "changeit", "password", "passwd", "secret", "example", "dummy",
      "redacted", "todo", "tbd", "none", "null", "nil", "empty", "placeholder", "your_password", "yourpassword",
      "your-password", "mypassword", "replace_me", "replaceme", "xxx", "test", "false", "true", "default"};
  if (kWords.count(l)) return true;
  if (l.starts_with("your") || l.starts_with("replace") || l.starts_with("insert") || l.starts_with("<")) return true;
  if (std::all_of(l.begin(), l.end(), [](char c) { return c == 'x' || c == '*' || c == '.' || c == '-'; })) return true;
  return false;
}

std::string masked(std::string_view secret) {
  size_t cut = std::min<size_t>(4, secret.size());
  while (cut > 0 && cut < secret.size() && text::is_continuation_byte(secret[cut])) --cut;
  return fmt::format("'{}\u2026' ({} characters)", text::printable(secret.substr(0, cut)), secret.size());
}

class Scanner {
 public:
  Scanner(const model::Package& package, FindingSink& sink) : package_(package), sink_(sink) {}

  void run() {
    for (const model::File* checked : package_.checked) {
      const model::File& file = *checked;
      const std::string name = lower(file.path);
      if (name.ends_with(".p12") || name.ends_with(".pfx")) {
        sink_.report_file(file, "a PKCS#12 bundle is shipped in the package: such files carry a private key with its "
                                "certificate; issue keys per installation instead");
        continue;
      }
      if (!file.content) continue;
      const std::string_view text = *file.content;
      if (text.find('\0') != std::string_view::npos) continue;
      pem_keys(file, text);
      url_passwords(file, text);
      token_formats(file, text);
      if (file.shell) shell(file, *file.shell);
      if (file.crontab) {
        for (const cron::Entry& e : file.crontab->entries) {
          if (e.shell) shell(file, *e.shell);
        }
        crontab_environment(file, text);
      }
      if (file.unit) unit_environment(file);
      if (name.ends_with(".netrc") || name.ends_with("/netrc") || name == "netrc") netrc(file, text);
      if (config_like(name)) config_lines(file, text);
    }
  }

 private:
  static bool config_like(std::string_view name) {
    for (std::string_view ext : {".conf", ".cfg", ".ini", ".properties", ".yaml", ".yml", ".json", ".toml", ".xml",
                                 ".cnf"}) {
      if (name.ends_with(ext)) return true;
    }
    return false;
  }

  void report(const model::File& file, shell::Span span, std::string message) {
    if (!seen_.insert({file.path, span.begin}).second) return;
    sink_.report(file, span, std::move(message));
  }

  shell::Span span_at(size_t begin, size_t end) const {
    return {static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  }

  void pem_keys(const model::File& file, std::string_view text) {
    size_t pos = 0;
    while ((pos = text.find("-----BEGIN ", pos)) != std::string_view::npos) {
      const size_t eol = text.find('\n', pos);
      const std::string_view line = text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
      const size_t kind_end = line.find("PRIVATE KEY");
      if (kind_end != std::string_view::npos && line.find("-----", 11) != std::string_view::npos) {
        std::string kind(line.substr(11, kind_end - 11));
        while (!kind.empty() && kind.back() == ' ') kind.pop_back();
        const size_t end_marker = text.find("-----END ", pos);
        const size_t block = end_marker == std::string_view::npos ? line.size() : end_marker - pos;
        report(file, span_at(pos, pos + line.size()),
               fmt::format("a {}private key is shipped in the package ({} bytes of key material): everyone who "
                           "receives the package holds it; generate keys per installation",
                           kind.empty() ? "" : kind + " ", block));
      }
      pos += 11;
    }
  }

  void url_passwords(const model::File& file, std::string_view text) {
    size_t pos = 0;
    while ((pos = text.find("://", pos)) != std::string_view::npos) {
      size_t begin = pos;
      while (begin > 0 && (std::isalnum(static_cast<unsigned char>(text[begin - 1])) || text[begin - 1] == '+')) --begin;
      size_t end = pos + 3;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
             std::string_view("\"'`<>)").find(text[end]) == std::string_view::npos) {
        ++end;
      }
      const std::string_view candidate = text.substr(begin, end - begin);
      if (auto url = model::parse_url(candidate); url && !url->password.empty() && !placeholder(url->password)) {
        const size_t pw = candidate.find(url->password, candidate.find("://") + 3);
        const size_t at = begin + (pw == std::string_view::npos ? 0 : pw);
        report(file, span_at(at, at + url->password.size()),
               fmt::format("a password is embedded in the URL for {}: {}; pass credentials from the operator's "
                           "secret store at run time",
                           text::printable(url->host), masked(url->password)));
      }
      pos = end;
    }
  }

  // Fixed-prefix token formats, checked character by character.
  void token_formats(const model::File& file, std::string_view text) {
    struct Format {
      std::string_view prefix;
      size_t min_rest;
      size_t max_rest;
      std::string_view charset;  // "A" upper+digits, "a" alnum, "b" alnum + _ -
      std::string_view what;
    };
    static constexpr std::array<Format, 11> kFormats{{
        {"AKIA", 16, 16, "A", "an AWS access key id"},
        {"ASIA", 16, 16, "A", "an AWS temporary access key id"},
        {"ghp_", 36, 36, "a", "a GitHub personal access token"},
        {"gho_", 36, 36, "a", "a GitHub OAuth token"},
        {"ghs_", 36, 36, "a", "a GitHub app token"},
        {"ghu_", 36, 36, "a", "a GitHub user token"},
        {"github_pat_", 60, 100, "b", "a GitHub fine-grained token"},
        {"xoxb-", 20, 200, "b", "a Slack bot token"},
        {"xoxp-", 20, 200, "b", "a Slack user token"},
        {"sk_live_", 24, 120, "a", "a Stripe live secret key"},
        {"AIza", 35, 35, "b", "a Google API key"},
    }};
    for (const Format& f : kFormats) {
      size_t pos = 0;
      while ((pos = text.find(f.prefix, pos)) != std::string_view::npos) {
        const bool boundary = pos == 0 || !std::isalnum(static_cast<unsigned char>(text[pos - 1]));
        size_t end = pos + f.prefix.size();
        while (end < text.size() && end - pos - f.prefix.size() < f.max_rest) {
          const char c = text[end];
          const bool ok = f.charset == "A" ? (std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)))
                          : f.charset == "a" ? std::isalnum(static_cast<unsigned char>(c)) != 0
                                             : (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
          if (!ok) break;
          ++end;
        }
        const size_t rest = end - pos - f.prefix.size();
        const bool after_ok = end >= text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
        if (boundary && rest >= f.min_rest && after_ok) {
          std::string message = fmt::format("{} is shipped in the package: {}", f.what, masked(text.substr(pos, end - pos)));
          if (f.prefix == "AKIA" || f.prefix == "ASIA") {
            const bool with_secret = lower(text).find("secret_access_key") != std::string::npos ||
                                     lower(text).find("secretaccesskey") != std::string::npos;
            if (with_secret) message += ", with its secret access key in the same file";
          }
          report(file, span_at(pos, end), message + "; revoke it and take it from the operator's secret store");
        }
        pos = end;
      }
    }
  }

  void assignment(const model::File& file, std::string_view name, const shell::Word& value, std::string_view where) {
    if (!secret_name(name) || !value.is_static || placeholder(value.text)) return;
    report(file, value.span,
           fmt::format("a literal secret is assigned to {}{}: {}; credentials in a vendor package are shared by every "
                       "customer and outlive the upgrade: take it from the operator's secret store at run time",
                       text::printable(name), where, masked(value.text)));
  }

  void shell(const model::File& file, const shell::ShellScript& script) {
    for (const shell::Assignment& a : script.assignments) assignment(file, a.name, a.value, "");
    for (const shell::Command& c : script.commands) {
      if (!c.name.is_static) continue;
      const size_t slash = c.name.text.rfind('/');
      const std::string prog = slash == std::string::npos ? c.name.text : c.name.text.substr(slash + 1);
      for (size_t i = 0; i < c.args.size(); ++i) {
        const shell::Word& w = c.args[i];
        if (!w.is_static) continue;
        const bool has_next = i + 1 < c.args.size() && c.args[i + 1].is_static;
        auto literal = [&](const shell::Word& word, size_t skip, std::string_view how) {
          const std::string secret = word.text.substr(skip);
          if (placeholder(secret)) return;
          const uint32_t begin = skip < word.offsets.size() ? word.offsets[skip] : word.span.begin;
          report(file, {begin, word.span.end},
                 fmt::format("a literal password is passed to {} with {}: {}; it shows in the process list and the "
                             "package; use an option file or the operator's secret store",
                             prog, how, masked(secret)));
        };
        if (prog == "mysql" || prog == "mysqldump" || prog == "mariadb" || prog == "mysqladmin") {
          if (w.text.starts_with("-p") && w.text.size() > 2 && w.text[1] == 'p') literal(w, 2, "-p");
          else if (w.text.starts_with("--password=")) literal(w, 11, "--password=");
        } else if (prog == "sshpass" && w.text == "-p" && has_next) {
          literal(c.args[i + 1], 0, "sshpass -p");
        } else if (prog == "redis-cli" && w.text == "-a" && has_next) {
          literal(c.args[i + 1], 0, "-a");
        } else if (prog == "curl" && (w.text == "-u" || w.text == "--user") && has_next) {
          const std::string& userpass = c.args[i + 1].text;
          const size_t colon = userpass.find(':');
          if (colon != std::string::npos) literal(c.args[i + 1], colon + 1, "-u user:password");
        }
      }
    }
  }

  void crontab_environment(const model::File& file, std::string_view text) {
    for (const cron::EnvAssignment& env : file.crontab->environment) {
      if (!secret_name(env.name) || placeholder(env.value)) continue;
      const uint32_t line_start = file.lines->line_start(env.line);
      const std::string_view line = file.lines->line_text(env.line);
      const size_t at = line.find(env.value);
      (void)text;
      report(file, {line_start + static_cast<uint32_t>(at == std::string_view::npos ? 0 : at),
                    line_start + static_cast<uint32_t>(at == std::string_view::npos ? line.size() : at + env.value.size())},
             fmt::format("a literal secret is assigned to {} in the crontab: {}; take it from the operator's secret "
                         "store at run time",
                         text::printable(env.name), masked(env.value)));
    }
  }

  void unit_environment(const model::File& file) {
    for (const unit::Assignment& a : file.unit->assignments) {
      if (a.key != "Environment") continue;
      // Environment="A=1" B=2: words, optionally quoted.
      size_t i = 0;
      while (i < a.value.size()) {
        while (i < a.value.size() && a.value[i] == ' ') ++i;
        const bool quoted = i < a.value.size() && a.value[i] == '"';
        const size_t begin = quoted ? i + 1 : i;
        size_t end = quoted ? a.value.find('"', begin) : a.value.find(' ', begin);
        if (end == std::string::npos) end = a.value.size();
        const std::string word = a.value.substr(begin, end - begin);
        const size_t eq = word.find('=');
        if (eq != std::string::npos && secret_name(word.substr(0, eq)) && !placeholder(word.substr(eq + 1))) {
          const size_t vb = begin + eq + 1;
          report(file, {a.value_offsets[vb], a.value_offsets[std::min(end, a.value_offsets.size() - 1)]},
                 fmt::format("a literal secret is set for {} in Environment=: {}; use LoadCredential= or an "
                             "EnvironmentFile= the operator provides",
                             text::printable(word.substr(0, eq)), masked(word.substr(eq + 1))));
        }
        i = quoted ? end + 1 : end;
      }
    }
  }

  void netrc(const model::File& file, std::string_view text) {
    size_t pos = 0;
    while ((pos = text.find("password", pos)) != std::string_view::npos) {
      size_t b = pos + 8;
      if (b < text.size() && std::isspace(static_cast<unsigned char>(text[b]))) {
        while (b < text.size() && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
        size_t e = b;
        while (e < text.size() && !std::isspace(static_cast<unsigned char>(text[e]))) ++e;
        const std::string_view secret = text.substr(b, e - b);
        if (!placeholder(secret)) {
          report(file, span_at(b, e), fmt::format("a .netrc password is shipped in the package: {}", masked(secret)));
        }
      }
      pos += 8;
    }
  }

  // key = value, key: value, "key": "value" in config files.
  void config_lines(const model::File& file, std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
      const size_t eol_pos = text.find('\n', pos);
      const size_t eol = eol_pos == std::string_view::npos ? text.size() : eol_pos;
      std::string_view line = text.substr(pos, eol - pos);
      const size_t base = pos;
      pos = eol + 1;
      size_t i = 0;
      while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      if (i < line.size() && (line[i] == '#' || line[i] == ';')) continue;
      const bool quoted_key = i < line.size() && line[i] == '"';
      if (quoted_key) ++i;
      const size_t key_begin = i;
      while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == '-' ||
                                 line[i] == '.')) {
        ++i;
      }
      const std::string_view key = line.substr(key_begin, i - key_begin);
      if (quoted_key && i < line.size() && line[i] == '"') ++i;
      while (i < line.size() && line[i] == ' ') ++i;
      if (i >= line.size() || (line[i] != '=' && line[i] != ':')) continue;
      ++i;
      while (i < line.size() && line[i] == ' ') ++i;
      size_t vb = i, ve = line.size();
      // A trailing comment (` # ...` in YAML and conf files) is not the value.
      for (size_t k = vb; k + 1 < ve; ++k) {
        if ((line[k] == ' ' || line[k] == '\t') && (line[k + 1] == '#' || line[k + 1] == ';')) {
          ve = k;
          break;
        }
      }
      while (ve > vb && (std::isspace(static_cast<unsigned char>(line[ve - 1])) || line[ve - 1] == ',')) --ve;
      if (ve > vb + 1 && (line[vb] == '"' || line[vb] == '\'') && line[ve - 1] == line[vb]) {
        ++vb;
        --ve;
      }
      const std::string_view value = line.substr(vb, ve - vb);
      std::string k(key);
      std::replace(k.begin(), k.end(), '-', '_');
      std::replace(k.begin(), k.end(), '.', '_');
      if (!secret_name(k) || placeholder(value)) continue;
      report(file, span_at(base + vb, base + ve),
             fmt::format("a literal secret is configured for {}: {}; take it from the operator's secret store",
                         text::printable(key), masked(value)));
    }
  }

  const model::Package& package_;
  FindingSink& sink_;
  std::set<std::pair<std::string, uint32_t>> seen_;
};

void check(const model::Package& package, FindingSink& sink) { Scanner(package, sink).run(); }

}  // namespace

extern const Rule PA702_embedded_credential;
const Rule PA702_embedded_credential{
    {.id = "PA702",
     .name = "embedded-credential",
     .level = Level::error,
     .summary = "private keys, passwords, tokens shipped in the package",
     .help = kHelp,
     .fix = "remove the secret, revoke it, and take it from the operator's secret store at run time",
     .tags = {"credentials", "security"},
     .security_severity = 8.5},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
