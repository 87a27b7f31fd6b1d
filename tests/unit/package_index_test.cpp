#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "package/package.hpp"

using namespace pkgaudit;

namespace {

model::File file(std::string path, FileKind kind) {
  model::File f;
  f.path = std::move(path);
  f.kind = kind;
  f.audited = true;
  return f;
}

}  // namespace

TEST_CASE("resolve_path: the longest package path the command's path ends with, at a '/'") {
  model::Package package;
  package.files.push_back(file("opt/pkg/run.sh", FileKind::shell));
  package.files.push_back(file("run.sh", FileKind::shell));
  package.files.push_back(file("lib/opt/pkg/run.sh", FileKind::shell));
  package.files.push_back(file("bin/tool", FileKind::text));
  package.files.push_back(file("tool", FileKind::shell));
  package.files.push_back(file("twice.sh", FileKind::shell));
  package.files.push_back(file("twice.sh", FileKind::shell));
  model::File gone = file("gone.sh", FileKind::shell);
  gone.audited = false;
  package.files.push_back(std::move(gone));
  model::index_package(package, {});
  const auto resolved = [&](std::string_view command) {
    const model::File* f = package.resolve_path(command, FileKind::shell);
    return f ? f->path : std::string("(none)");
  };
  CHECK(resolved("/opt/pkg/run.sh") == "opt/pkg/run.sh");
  CHECK(resolved("./opt/pkg/run.sh") == "opt/pkg/run.sh");
  CHECK(resolved("/srv/pkg/run.sh") == "run.sh");
  CHECK(resolved("xopt/pkg/run.sh") == "run.sh");  // only at a '/'
  CHECK(resolved("/usr/lib/opt/pkg/run.sh") == "lib/opt/pkg/run.sh");
  CHECK(resolved("/usr/bin/tool") == "tool");  // bin/tool is not a script: the next shorter match
  CHECK(package.resolve_path("/usr/bin/tool", FileKind::text)->path == "bin/tool");
  CHECK(package.resolve_path("twice.sh", FileKind::shell) == &package.files[5]);  // the first of equal paths
  CHECK(resolved("/opt/gone.sh") == "(none)");  // not audited
  CHECK(resolved("/opt/pkg/other.sh") == "(none)");
  CHECK(resolved("/opt/pkg/") == "(none)");
  CHECK(resolved("") == "(none)");
}
