#include <netdb.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "package/endpoints.hpp"
#include "package/package.hpp"
#include "package/shell_values.hpp"
#include "rules/rule.hpp"
#include "text/utf8.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Finds every remote host the package talks to (`sftp`, `scp`, `rsync`,
`ssh`, `lftp`, `curl`/`wget` URLs including `sftp://` and `ftp://`, `nc`,
and ssh config aliases resolved to their `HostName`), following variables
assigned once with static text, in the script or in a package file it
sources (`. /opt/dten/etc/dten.env`). It reports:

- a host on the retired list (`--retired-host`, `[hosts] retired`): exact
  names, globs such as `*.old.example.com`, IP addresses, CIDR ranges;
- a file transfer (`sftp`, `scp`, `rsync`, `lftp`, `ftp`-family URLs) to a
  host not on the allowed list, when one is given (`--allowed-host`);
- with `--resolve` (off by default: pkgaudit is static), a name that does
  not resolve within a short timeout, looked up once.

When cron or a unit runs the script, the message says when, and the cron
line or `Exec*=` line is attached as a related location.

## Why is this bad?
A job that talks to a retired server fails every time it runs: at 03:00,
long after the upgrade window, it fills logs and disks with retries, and
the data it was meant to import silently stops arriving.

## Example
```sh
# etc/dten.env
SFTP_HOST=sftp-old.partner.example.com
# scripts/import-data.sh, run by cron at 03:00
sftp -b "$batch" "dten@${SFTP_HOST}"
```

## Use instead
```sh
SFTP_HOST=sftp.partner.example.com
```
and keep the operator's list of retired and allowed hosts in the
configuration, so the next vendor drop is checked against it.
)md";

// getaddrinfo has no timeout of its own: run it aside and stop waiting.
bool resolves(const std::string& host, uint32_t milliseconds) {
  struct State {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    bool ok = false;
  };
  auto state = std::make_shared<State>();
  std::thread([state, host] {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
    if (result) freeaddrinfo(result);
    std::lock_guard lock(state->mutex);
    state->done = true;
    state->ok = rc == 0;
    state->done_cv.notify_all();
  }).detach();
  std::unique_lock lock(state->mutex);
  state->done_cv.wait_for(lock, std::chrono::milliseconds(milliseconds), [&] { return state->done; });
  return state->done && state->ok;
}

std::string when_run(const model::Package& package, const model::File& file) {
  const auto& contexts = package.contexts_of(file);
  if (contexts.empty()) return {};
  const model::RunContext& c = contexts.front();
  const uint32_t line = c.by->lines ? c.by->lines->position(c.span.begin).line : 0;
  if (!c.schedule.empty()) return fmt::format("; it runs {} from {}:{}", c.schedule, c.by->path, line);
  return fmt::format("; it is {}", c.description);
}

void check(const model::Package& package, FindingSink& sink) {
  const Options& options = package.options;
  const bool resolve = options.resolve_hosts;
  if (options.retired_hosts.empty() && options.allowed_hosts.empty() && !resolve) return;
  const auto& aliases = package.ssh_aliases;
  std::map<std::string, bool> resolved;
  for (const model::ScriptView& view : package.scripts) {
    const model::ShellValues values(package, view);
    for (const shell::Command& cmd : view.script->commands) {
      for (const model::Endpoint& ep : model::endpoints_of(cmd, values, aliases)) {
        std::string why;
        for (const std::string& pattern : options.retired_hosts) {
          if (model::host_matches(pattern, ep.host)) {
            why = pattern == ep.host ? "is on the retired host list"
                                     : fmt::format("is retired (it matches '{}')", text::printable(pattern));
            break;
          }
        }
        if (why.empty() && ep.file_transfer && !options.allowed_hosts.empty() && !model::is_loopback(ep.host)) {
          bool allowed = false;
          for (const std::string& pattern : options.allowed_hosts) allowed = allowed || model::host_matches(pattern, ep.host);
          if (!allowed) why = "is not on the allowed host list for file transfers";
        }
        if (why.empty() && resolve && !model::is_loopback(ep.host)) {
          auto it = resolved.find(ep.host);
          if (it == resolved.end()) it = resolved.emplace(ep.host, resolves(ep.host, options.resolve_milliseconds)).first;
          if (!it->second) why = fmt::format("does not resolve (looked up with a {} ms timeout)", options.resolve_milliseconds);
        }
        if (why.empty()) continue;
        std::string via;
        if (!ep.word->is_static) via = fmt::format(" (from {})", text::printable(ep.word->text));
        sink.report(*view.file, ep.word->span,
                    fmt::format("`{}` connects to {}{}, which {}{}", ep.tool, text::printable(ep.host), via, why,
                                when_run(package, *view.file)));
      }
    }
  }
}

}  // namespace

extern const Rule PA501_dead_sftp_host;
const Rule PA501_dead_sftp_host{
    {.id = "PA501",
     .name = "dead-sftp-host",
     .level = Level::error,
     .summary = "sftp, scp, rsync, ssh, lftp, curl/wget sftp:// or ftp:// to a retired host, or not to an allowed one",
     .help = kHelp,
     .fix = "point the job at the current host, or disable it before the upgrade",
     .tags = {"hosts", "operations"},
     .security_severity = 4.5},
    check, /*after_suppressions=*/false, /*whole_package=*/false, /*before_sessions=*/true};

}  // namespace pkgaudit::rules
