#include "package/package.hpp"

namespace pkgaudit::model {

std::vector<const File*> Package::files_of_kind(FileKind kind) const {
  std::vector<const File*> out;
  for (const File& f : files) {
    if (f.kind == kind && f.audited) out.push_back(&f);
  }
  return out;
}

}  // namespace pkgaudit::model
