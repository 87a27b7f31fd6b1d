// pkgaudit-bench-gen FILES OUT.zip [SEED]
// A deterministic, realistic vendor package: shell scripts of all sizes
// (a few large ones), systemd units, crontabs, SQL migrations and binary
// filler, in the proportions of real upgrade packages.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "zip_writer.hpp"

namespace {

// xorshift64*: the same package for the same seed, on every machine.
struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  uint64_t below(uint64_t n) { return next() % n; }
};

const char* kCommands[] = {
    "systemctl restart dten-{}.service", "sudo -n install -m 0644 conf/{}.conf /etc/dten/{}.conf",
    "cp -r \"$HERE/lib/{}\" /opt/dten/lib/", "psql -v ON_ERROR_STOP=1 -c \"SELECT count(*) FROM t{}\"",
    "curl -fsS https://api.partner.example.com/v2/items/{}", "rsync -a data/{}/ backup.example.com:/srv/{}/",
    "log \"step {} done\"", "if [ -f /etc/dten/{}.flag ]; then rm -f /etc/dten/{}.flag; fi",
    "for f in /var/lib/dten/{}/*.csv; do gzip -9 \"$f\"; done", "echo \"$(date +%F) {}\" >> /var/log/dten/upgrade.log",
    "case \"$1\" in start) run {} ;; stop) halt {} ;; esac", "x{}=$(awk -F: '{{print $1}}' /etc/passwd | wc -l)",
};

std::string script(Rng& rng, size_t lines) {
  std::string out = "#!/bin/bash\nset -euo pipefail\nHERE=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\n";
  out += "log() { echo \"[upgrade] $*\"; }\n";
  for (size_t i = 0; i < lines; ++i) {
    const std::string id = std::to_string(rng.below(1000));
    out += fmt::format(fmt::runtime(kCommands[rng.below(std::size(kCommands))]), id, id) + "\n";
    if (rng.below(20) == 0) out += fmt::format("f{}() {{\n  local a=\"$1\"\n  echo \"$a\"\n}}\n", id);
  }
  return out;
}

std::string unit(Rng& rng, size_t i) {
  return fmt::format("[Unit]\nDescription=DTEN component {}\nAfter=network-online.target\nWants=network-online.target\n\n"
                     "[Service]\nType=simple\nUser=dten\nExecStart=/opt/dten/bin/component-{} --port {}\nRestart=on-failure\n"
                     "RestartSec=5s\n\n[Install]\nWantedBy=multi-user.target\n",
                     i, i, 8000 + rng.below(1000));
}

std::string sql(Rng& rng, size_t i) {
  std::string out = fmt::format("-- migration {}\n", i);
  for (int k = 0; k < 20; ++k) {
    const uint64_t t = rng.below(50);
    switch (rng.below(4)) {
      case 0: out += fmt::format("ALTER TABLE t{} ADD COLUMN c{}_{} text;\n", t, i, k); break;
      case 1: out += fmt::format("CREATE INDEX CONCURRENTLY i{}_{} ON t{} (c);\n", i, k, t); break;
      case 2: out += fmt::format("INSERT INTO t{} (a, b) VALUES ({}, 'x{}');\n", t, k, i); break;
      default: out += fmt::format("UPDATE t{} SET a = a + 1 WHERE b = 'y{}';\n", t, k); break;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: pkgaudit-bench-gen FILES OUT.zip [SEED]\n");
    return 2;
  }
  const size_t files = std::strtoull(argv[1], nullptr, 10);
  Rng rng{argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 0x5eed5eedull};
  std::vector<pkgaudit::testing::ZipEntrySpec> entries;
  for (size_t i = 0; i < files; ++i) {
    const uint64_t r = rng.below(100);
    const std::string dir = fmt::format("c{:03}", i % 257);
    if (r < 45) {
      // Scripts: mostly small, some medium, one in two hundred large. (Larger
      // ones exhaust ShellCheck's memory, which makes the comparison moot.)
      const size_t lines = rng.below(200) == 0 ? 1500 + rng.below(1000) : rng.below(10) == 0 ? 400 : 10 + rng.below(80);
      entries.push_back({fmt::format("{}/scripts/step{}.sh", dir, i), script(rng, lines)});
    } else if (r < 55) {
      entries.push_back({fmt::format("{}/systemd/component-{}.service", dir, i), unit(rng, i)});
    } else if (r < 58) {
      entries.push_back({fmt::format("{}/cron.d/job{}", dir, i),
                         fmt::format("MAILTO=ops@example.com\n{} {} * * * dten /opt/dten/{}/scripts/step{}.sh\n",
                                     rng.below(60), rng.below(24), dir, i)});
    } else if (r < 68) {
      entries.push_back({fmt::format("{}/sql/V{}__m.sql", dir, i), sql(rng, i)});
    } else {
      std::string blob(1024 + rng.below(64 * 1024), '\0');
      for (char& c : blob) c = static_cast<char>(rng.next() & 0xff);
      entries.push_back({fmt::format("{}/bin/blob{}.bin", dir, i), std::move(blob)});
    }
  }
  const std::string error = pkgaudit::testing::write_zip(argv[2], entries);
  if (!error.empty()) {
    std::fprintf(stderr, "pkgaudit-bench-gen: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
