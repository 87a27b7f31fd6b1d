// Every remote host a command talks to: sftp, scp, rsync, ssh, lftp,
// curl/wget URLs, nc; `[user@]host[:path]`, `host::module`, URLs, IPv4 and
// bracketed IPv6; ssh config aliases resolved to their HostName. A port is
// never taken for a host.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/shell/shell_model.hpp"

namespace pkgaudit::model {

class ShellValues;
struct Package;

struct Url {
  std::string scheme;     // lowercased
  std::string user;
  std::string password;
  std::string host;       // lowercased, IPv6 without brackets
  std::string port;
  std::string path;       // with the query
};

std::optional<Url> parse_url(std::string_view text);

// The URL with its password and secret-looking query values replaced by
// "***", for messages.
std::string redact_url(std::string_view text);

struct Endpoint {
  std::string host;
  std::string user;
  std::string tool;             // "sftp", "scp", "curl", ...
  std::string url;              // redacted, for URL forms
  bool file_transfer = false;   // sftp, scp, rsync, lftp, or an ftp-family URL
  const shell::Word* word = nullptr;
};

// Host aliases from ssh config files in the package (`Host x` / `HostName y`).
std::map<std::string, std::string> ssh_aliases(const Package& package);

std::vector<Endpoint> endpoints_of(const shell::Command& command, const ShellValues& values,
                                   const std::map<std::string, std::string>& aliases);

// Host patterns: exact names (case-insensitive), globs (`*.old.example.com`),
// IP addresses and CIDR ranges (`10.20.0.0/16`, `fd00::/8`).
bool host_matches(std::string_view pattern, std::string_view host);

bool is_loopback(std::string_view host);

}  // namespace pkgaudit::model
