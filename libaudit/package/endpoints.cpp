#include "package/endpoints.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "package/package.hpp"
#include "package/shell_values.hpp"
#include "text/glob.hpp"
#include "text/ascii.hpp"

namespace pkgaudit::model {
namespace {

std::string lower(std::string_view s) { return text::ascii_lower(s); }


std::string_view program(const shell::Word& w) {
  const size_t slash = w.text.rfind('/');
  return slash == std::string::npos ? std::string_view(w.text) : std::string_view(w.text).substr(slash + 1);
}

bool is_ftp_family(std::string_view scheme) {
  return scheme == "sftp" || scheme == "ftp" || scheme == "ftps" || scheme == "scp" || scheme == "tftp" ||
         scheme == "rsync";
}

// `[user@]host[:rest]` or `[user@][v6]:rest`; host lowercased.
bool split_host_spec(std::string_view spec, std::string& user, std::string& host) {
  const size_t at = spec.find('@');
  const size_t slash = spec.find('/');
  if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash)) {
    user = std::string(spec.substr(0, at));
    spec.remove_prefix(at + 1);
  }
  if (spec.starts_with('[')) {
    const size_t close = spec.find(']');
    if (close == std::string_view::npos) return false;
    host = lower(spec.substr(1, close - 1));
    return !host.empty();
  }
  const size_t end = spec.find_first_of(":/");
  host = lower(spec.substr(0, end));
  return !host.empty() && host.find_first_of(" \t\"'$`") == std::string::npos;
}

// A remote scp/rsync operand: `host:path`, `user@host:path`, `host::module`.
bool remote_operand(std::string_view arg, std::string& user, std::string& host) {
  if (arg.empty() || arg[0] == '/' || arg.starts_with("./") || arg.starts_with("../") || arg[0] == '-') return false;
  const size_t colon = arg.starts_with('[') ? arg.find("]:") : arg.find(':');
  const size_t slash = arg.find('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon)) return false;
  return split_host_spec(arg, user, host);
}

struct ToolSpec {
  std::string_view name;
  std::string_view valued;  // short options taking a value
  bool file_transfer;
};

constexpr std::array<ToolSpec, 10> kTools{{
    {"sftp", "bBcDFiJloPRSsX", true},
    {"scp", "cDFiJloPSX", true},
    {"rsync", "eBfTM", true},
    {"ssh", "bcDEeFIiJLlmOopQRSWw", false},
    {"lftp", "uecpf", true},
    {"curl", "dHouAebcFTXwEKrmxyYzC", false},
    {"wget", "OoaPeUTtlwQiAB", false},
    {"nc", "psqwiIOTX", false},
    {"ncat", "psqwiIOTX", false},
    {"netcat", "psqwiIOTX", false},
}};

}  // namespace

std::optional<Url> parse_url(std::string_view text) {
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  Url url;
  url.scheme = lower(text.substr(0, sep));
  if (!std::all_of(url.scheme.begin(), url.scheme.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; })) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(sep + 3);
  const size_t path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  url.path = path_start == std::string_view::npos ? std::string{} : std::string(rest.substr(path_start));
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const size_t colon = userinfo.find(':');
    url.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) url.password = std::string(userinfo.substr(colon + 1));
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    url.host = lower(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') url.port = std::string(authority.substr(close + 2));
  } else {
    const size_t colon = authority.find(':');
    url.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) url.port = std::string(authority.substr(colon + 1));
  }
  if (url.host.empty()) return std::nullopt;
  return url;
}

std::string redact_url(std::string_view text) {
  auto url = parse_url(text);
  if (!url) return std::string(text);
  std::string out = url->scheme + "://";
  if (!url->user.empty()) out += url->user + (url->password.empty() ? "@" : ":***@");
  out += url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
  if (!url->port.empty()) out += ":" + url->port;
  // Query values whose names say secret.
  std::string path = url->path;
  const size_t q = path.find('?');
  if (q != std::string::npos) {
    std::string query = path.substr(q + 1);
    std::string redacted;
    size_t pos = 0;
    while (pos <= query.size()) {
      const size_t amp = query.find('&', pos);
      std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
      const size_t eq = pair.find('=');
      if (eq != std::string::npos) {
        const std::string key = lower(pair.substr(0, eq));
        for (std::string_view secret : {"token", "key", "secret", "password", "passwd", "sig", "signature", "auth"}) {
          if (key.find(secret) != std::string::npos) {
            pair = pair.substr(0, eq + 1) + "***";
            break;
          }
        }
      }
      redacted += (redacted.empty() ? "" : "&") + pair;
      if (amp == std::string::npos) break;
      pos = amp + 1;
    }
    path = path.substr(0, q + 1) + redacted;
  }
  return out + path;
}

std::map<std::string, std::string> ssh_aliases(const Package& package) {
  std::map<std::string, std::string> out;
  for (const File& f : package.files) {
    if (!f.content || !(f.path.ends_with("ssh_config") || f.path.ends_with(".ssh/config") || f.path.ends_with("ssh/config"))) {
      continue;
    }
    std::vector<std::string> current;
    std::string_view text = *f.content;
    while (!text.empty()) {
      const size_t eol = text.find('\n');
      std::string_view line = text.substr(0, eol);
      text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
      const size_t sp = line.find_first_of(" \t=");
      if (sp == std::string_view::npos) continue;
      const std::string key = lower(line.substr(0, sp));
      std::string_view value = line.substr(sp + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '=' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
      if (key == "host") {
        current.clear();
        size_t p = 0;
        while (p < value.size()) {
          const size_t e = value.find(' ', p);
          current.push_back(lower(value.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p)));
          p = e == std::string_view::npos ? value.size() : e + 1;
        }
      } else if (key == "hostname") {
        for (const std::string& alias : current) out[alias] = lower(value);
      }
    }
  }
  return out;
}

std::vector<Endpoint> endpoints_of(const shell::Command& c, const ShellValues& values,
                                   const std::map<std::string, std::string>& aliases) {
  std::vector<Endpoint> out;
  if (!c.name.is_static) return out;
  const std::string_view prog = program(c.name);
  const auto tool = std::find_if(kTools.begin(), kTools.end(), [&](const ToolSpec& t) { return t.name == prog; });
  if (tool == kTools.end()) return out;
  auto add = [&](std::string host, std::string user, const shell::Word& w, std::string url, bool transfer) {
    if (const auto it = aliases.find(host); it != aliases.end()) host = it->second;
    out.push_back({std::move(host), std::move(user), std::string(prog), std::move(url), transfer, &w});
  };
  // Long options that take the next word as their value (curl, wget).
  static constexpr std::array<std::string_view, 24> kLongValued{
      "--data", "--data-binary", "--data-raw", "--data-urlencode", "--header", "--output", "--user", "--request",
      "--form", "--json", "--upload-file", "--cacert", "--cert", "--key", "--config", "--proxy", "--user-agent",
      "--referer", "--cookie", "--write-out", "--max-time", "--connect-timeout", "--post-data", "--method"};
  std::vector<const shell::Word*> positional = shell::args_without_flags(c, tool->valued);
  for (size_t i = 0; i + 1 < c.args.size(); ++i) {
    const shell::Word& w = c.args[i];
    if (w.is_static && std::find(kLongValued.begin(), kLongValued.end(), w.text) != kLongValued.end()) {
      std::erase(positional, &c.args[i + 1]);
    }
  }
  for (const shell::Word* w : positional) {
    const auto value = values.resolve(*w);
    if (!value) continue;  // dynamic: never guessed
    if (auto url = parse_url(*value)) {
      add(url->host, url->user, *w, redact_url(*value), tool->file_transfer || is_ftp_family(url->scheme));
      continue;
    }
    std::string user, host;
    if (prog == "scp" || prog == "rsync") {
      if (remote_operand(*value, user, host)) add(host, user, *w, {}, true);
    } else if (prog == "sftp" || prog == "ssh" || prog == "lftp" || prog == "nc" || prog == "ncat" ||
               prog == "netcat") {
      if (split_host_spec(*value, user, host)) add(host, user, *w, {}, tool->file_transfer);
      break;  // only the first operand is the host (the rest: a command, a port)
    }
  }
  // curl --url URL; lftp -e/-c "open HOST".
  for (size_t i = 0; i + 1 < c.args.size(); ++i) {
    const shell::Word& w = c.args[i];
    if (!w.is_static) continue;
    if (prog == "curl" && w.text == "--url") {
      if (const auto v = values.resolve(c.args[i + 1])) {
        if (auto url = parse_url(*v)) add(url->host, url->user, c.args[i + 1], redact_url(*v), is_ftp_family(url->scheme));
      }
    }
    if (prog == "lftp" && (w.text == "-e" || w.text == "-c")) {
      const auto v = values.resolve(c.args[i + 1]);
      if (!v) continue;
      const size_t open = v->find("open ");
      if (open == std::string::npos) continue;
      std::string_view target = std::string_view(*v).substr(open + 5);
      while (!target.empty() && target.front() == ' ') target.remove_prefix(1);
      target = target.substr(0, target.find_first_of(" ;\n"));
      std::string user, host;
      if (auto url = parse_url(target)) add(url->host, url->user, c.args[i + 1], redact_url(target), true);
      else if (split_host_spec(target, user, host)) add(host, user, c.args[i + 1], {}, true);
    }
  }
  return out;
}

bool is_loopback(std::string_view host) {
  return host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") || host == "::1" ||
         host == "0:0:0:0:0:0:0:1";
}

bool host_matches(std::string_view pattern, std::string_view host) {
  const std::string p = lower(pattern);
  const std::string h = lower(host);
  const size_t slash = p.find('/');
  if (slash != std::string::npos) {
    // CIDR: compare the leading bits of the addresses.
    const std::string net = p.substr(0, slash);
    const int bits = std::atoi(p.c_str() + slash + 1);
    unsigned char a[16], b[16];
    const int family = net.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    if (inet_pton(family, net.c_str(), a) != 1 || inet_pton(family, h.c_str(), b) != 1) return false;
    const int max = family == AF_INET ? 32 : 128;
    if (bits < 0 || bits > max) return false;
    for (int i = 0; i < bits; ++i) {
      const int byte = i / 8, bit = 7 - i % 8;
      if (((a[byte] >> bit) & 1) != ((b[byte] >> bit) & 1)) return false;
    }
    return true;
  }
  if (p.find_first_of("*?") != std::string::npos) return text::glob_match(p, h);
  return p == h;
}

}  // namespace pkgaudit::model
