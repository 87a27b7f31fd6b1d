#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "package/endpoints.hpp"
#include "package/package.hpp"
#include "package/shell_values.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"
#include "text/ascii.hpp"

namespace pkgaudit::rules {
namespace {

std::string upper(std::string_view s) { return text::ascii_upper(s); }

constexpr std::string_view kHelp = R"md(## What it does
Finds calls that change state on another system: `curl -X POST|PUT|PATCH|
DELETE`, `curl -d/--data*/-F/--form/--json` (an implied POST) and `-T`
(an implied PUT), `wget --post-data/--post-file/--method`, HTTPie
(`http POST url`, or `key=value` items), and `gh api -X`/`--method` or
with `-f`/`-F` fields. Requests to localhost and to hosts listed with
`--side-effect-ignore-host` (`[side-effects] ignore-hosts`) are exempt.
Credentials and secret-looking query values in the URL are redacted.

## Why is this bad?
A snapshot restore rolls back the machine, not the world: a webhook
registered with a partner, a feature flag flipped in a SaaS, a record
deleted through an API all stay as they are after a rollback. The rollback
plan has to undo them explicitly, which means someone must know they
happen.

## Example
```sh
curl -X POST https://api.partner.example.com/v2/webhooks -d '{"url": "..."}'
```

## Use instead
Keep the call, and add its undo to the rollback plan (here, the matching
`DELETE /v2/webhooks/{id}`), or make the upgrade record what it registered
so the rollback can remove it.
)md";

constexpr std::array<std::string_view, 4> kChanging{"POST", "PUT", "PATCH", "DELETE"};

bool changing(std::string_view method) {
  return std::find(kChanging.begin(), kChanging.end(), method) != kChanging.end();
}


// The HTTP method a command uses, or empty when it only reads (or when the
// method is dynamic: never guessed).
std::string method_of(const shell::Command& c, std::string_view prog) {
  std::string method;
  bool has_data = false, upload = false, get = false;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const shell::Word& w = c.args[i];
    if (!w.is_static) continue;
    const std::string& t = w.text;
    const bool next = i + 1 < c.args.size() && c.args[i + 1].is_static;
    if (prog == "curl") {
      if ((t == "-X" || t == "--request") && next) method = upper(c.args[i + 1].text);
      else if (t.starts_with("-X") && t.size() > 2) method = upper(t.substr(2));
      else if (t.starts_with("--request=")) method = upper(t.substr(10));
      else if (t == "-d" || t.starts_with("--data") || t == "-F" || t.starts_with("--form") || t == "--json" ||
               (t.starts_with("-d") && t.size() > 2)) {
        has_data = true;
      } else if (t == "-T" || t == "--upload-file") {
        upload = true;
      } else if (t == "-G" || t == "--get") {
        get = true;
      }
    } else if (prog == "wget") {
      if (t.starts_with("--post-data") || t.starts_with("--post-file")) has_data = true;
      else if (t.starts_with("--method=")) method = upper(t.substr(9));
      else if (t == "--method" && next) method = upper(c.args[i + 1].text);
    } else if (prog == "gh") {
      if ((t == "-X" || t == "--method") && next) method = upper(c.args[i + 1].text);
      else if (t == "-f" || t == "-F" || t == "--field" || t == "--raw-field") has_data = true;
    }
  }
  if (!method.empty()) return method;
  if (get) return {};
  if (upload) return "PUT";
  if (has_data) return "POST";
  return {};
}

void check(const model::Package& package, FindingSink& sink) {
  const auto& aliases = package.ssh_aliases;
  const auto& ignored = package.options.side_effect_ignore_hosts;
  for (const model::ScriptView& view : package.scripts) {
    const model::ShellValues values(package, view);
    for (const shell::Command& cmd : view.script->commands) {
      if (!cmd.name.is_static) continue;
      const size_t slash = cmd.name.text.rfind('/');
      const std::string prog = slash == std::string::npos ? cmd.name.text : cmd.name.text.substr(slash + 1);
      struct Target {
        std::string host;
        std::string url;
        const shell::Word* word;
      };
      std::vector<Target> targets;
      std::string method;
      if (prog == "curl" || prog == "wget") {
        method = method_of(cmd, prog);
        if (!changing(method)) continue;
        for (const model::Endpoint& ep : model::endpoints_of(cmd, values, aliases)) {
          if (!ep.url.empty()) targets.push_back({ep.host, ep.url, ep.word});
        }
      } else if (prog == "http" || prog == "https" || prog == "xh") {
        // HTTPie: [METHOD] URL [items]; items (a=b, a:=b) imply POST.
        const auto args = shell::args_without_flags(cmd);
        size_t i = 0;
        if (!args.empty() && args[0]->is_static && changing(upper(args[0]->text)) &&
            args[0]->text == upper(args[0]->text)) {
          method = args[0]->text;
          ++i;
        }
        if (i >= args.size()) continue;
        const auto url_text = values.resolve(*args[i]);
        if (!url_text) continue;
        if (method.empty()) {
          for (size_t k = i + 1; k < args.size(); ++k) {
            if (args[k]->is_static && args[k]->text.find('=') != std::string::npos) method = "POST";
          }
        }
        if (!changing(method)) continue;
        const std::string full = url_text->find("://") == std::string::npos ? (prog == "https" ? "https://" : "http://") + *url_text : *url_text;
        if (auto url = model::parse_url(full)) targets.push_back({url->host, model::redact_url(full), args[i]});
      } else if (prog == "gh" && !cmd.args.empty() && cmd.args[0].is_static && cmd.args[0].text == "api") {
        method = method_of(cmd, "gh");
        if (!changing(method)) continue;
        const auto args = shell::args_without_flags(cmd, "XfFHpq");
        if (args.size() < 2) continue;
        const auto path = values.resolve(*args[1]);
        if (!path) continue;
        targets.push_back({"api.github.com", "https://api.github.com/" + std::string(path->starts_with('/') ? path->substr(1) : *path), args[1]});
      } else {
        continue;
      }
      for (const Target& t : targets) {
        if (model::is_loopback(t.host)) continue;
        if (std::any_of(ignored.begin(), ignored.end(), [&](const std::string& p) { return model::host_matches(p, t.host); })) {
          continue;
        }
        sink.report(*view.file, t.word->span,
                    fmt::format("`{} {}` to {} changes state on {}: a snapshot restore does not undo it; add its undo "
                                "to the rollback plan",
                                prog, method, text::printable(t.url), text::printable(t.host)));
      }
    }
  }
}

}  // namespace

extern const Rule PA701_irreversible_side_effect;
const Rule PA701_irreversible_side_effect{
    {.id = "PA701",
     .name = "irreversible-side-effect",
     .level = Level::warning,
     .summary = "registering webhooks or calling remote APIs with POST/PUT/DELETE: a snapshot restore does not undo it",
     .help = kHelp,
     .fix = "add the call's undo to the rollback plan",
     .tags = {"side-effects", "operations"},
     .security_severity = 3.0},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
