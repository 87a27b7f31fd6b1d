#include <doctest/doctest.h>

#include <string>

#include "classify/classify.hpp"

using pkgaudit::FileKind;
using pkgaudit::classify::classify;

namespace {
struct Case {
  const char* path;
  std::string content;
  FileKind expected;
};
}  // namespace

TEST_CASE("classification by path, extension, shebang and content") {
  const std::string nul("\x7f" "ELF\0\0\0", 7);
  const Case cases[] = {
      {"upgrade.sh", "echo hi\n", FileKind::shell},
      {"lib/common.bash", "f() { :; }\n", FileKind::shell},
      {"bin/dten-upgrade", "#!/bin/sh\necho\n", FileKind::shell},
      {"bin/tool", "#!/usr/bin/env bash\n", FileKind::shell},
      {"bin/tool2", "#!/usr/bin/env -S bash -e\n", FileKind::shell},
      {"bin/tool3", "#! /bin/dash\n", FileKind::shell},
      {"bin/tool4", "#!/bin/busybox sh\n", FileKind::shell},
      {"bin/tool.py", "#!/usr/bin/env python3\nprint(1)\n", FileKind::text},
      {"bin/tool.pl", "#!/usr/bin/perl\n", FileKind::text},
      {"DEBIAN/postinst", "set -e\n", FileKind::shell},
      {"DEBIAN/preinst", "", FileKind::shell},
      {"DEBIAN/prerm", "#!/bin/sh\n", FileKind::shell},
      {"DEBIAN/postrm", "#!/bin/sh\n", FileKind::shell},
      {"DEBIAN/config", "#!/bin/sh\n", FileKind::shell},
      {"info/dten.postinst", "#!/bin/sh\n", FileKind::shell},
      {"etc/cron.daily/dten-cleanup", "find /tmp -delete\n", FileKind::shell},
      {"etc/cron.hourly/x", "#!/bin/sh\n", FileKind::shell},
      {"etc/cron.d/dten-import", "0 3 * * * root /x\n", FileKind::crontab},
      {"cron/dten.cron", "0 3 * * * /x\n", FileKind::crontab},
      {"crontab", "0 3 * * * /x\n", FileKind::crontab},
      {"crontab.dten", "@daily /x\n", FileKind::crontab},
      {"systemd/dten.service", "[Unit]\n", FileKind::systemd_unit},
      {"systemd/dten.timer", "[Timer]\n", FileKind::systemd_unit},
      {"systemd/dten.socket", "", FileKind::systemd_unit},
      {"systemd/dten.path", "", FileKind::systemd_unit},
      {"systemd/srv-data.mount", "", FileKind::systemd_unit},
      {"systemd/dten.target", "", FileKind::systemd_unit},
      {"systemd/dten.service.d/override.conf", "[Service]\n", FileKind::systemd_unit},
      {"etc/other.d/override.conf", "x=1\n", FileKind::text},
      {"sql/V1__init.sql", "CREATE TABLE t (id int);\n", FileKind::sql},
      {"sql/UPPER.SQL", "", FileKind::sql},
      {"certs/vendor.pem", "-----BEGIN CERTIFICATE-----\n", FileKind::signature},
      {"certs/vendor.crt", "", FileKind::signature},
      {"package.zip.p7s", nul, FileKind::signature},
      {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", FileKind::signature},
      {"META-INF/VENDOR.SF", "", FileKind::signature},
      {"META-INF/VENDOR.RSA", nul, FileKind::signature},
      {"lib/META-INF/MANIFEST.MF", "", FileKind::text},
      {"lib/inner.zip", "PK\x03\x04", FileKind::nested_zip},
      {"lib/app.jar", "", FileKind::nested_zip},
      {"blob.dat", std::string("PK\x03\x04rest", 8), FileKind::nested_zip},
      {"bin/dten-server", nul, FileKind::binary},
      {"README.md", "# DTEN\n", FileKind::text},
      {"empty", "", FileKind::text},
      {"empty.sh", "", FileKind::shell},
      {"etc/dten.env", "A=1\n", FileKind::shell},
      {"notes.txt", "sudo make me a sandwich\n", FileKind::text},
  };
  for (const Case& c : cases) {
    INFO("path: ", c.path);
    CHECK(classify(c.path, c.content) == c.expected);
  }
  CHECK(sizeof cases / sizeof cases[0] >= 30);
}

TEST_CASE("shebang interpreter") {
  using pkgaudit::classify::shebang_interpreter;
  CHECK(shebang_interpreter("#!/bin/bash -e\n") == "bash");
  CHECK(shebang_interpreter("#!/usr/bin/env bash\n") == "bash");
  CHECK(shebang_interpreter("#! /bin/sh\n") == "sh");
  CHECK(shebang_interpreter("#!/usr/bin/env -S python3 -u\n") == "python3");
  CHECK(shebang_interpreter("echo\n").empty());
  CHECK(shebang_interpreter("#!").empty());
}
