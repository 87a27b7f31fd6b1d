// The package model rules check: every entry with its name problems, its
// kind, and for parsed kinds their model. Built once, read by every rule.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parse/shell/shell_model.hpp"
#include "pkgaudit/report.hpp"
#include "source/entry_name.hpp"
#include "text/line_index.hpp"

namespace pkgaudit::model {

struct File {
  std::string path;                 // normalised inner path ("" when no safe name exists)
  std::string raw_name;             // as stored in the package
  source::NormalisedName name;
  FileKind kind = FileKind::other;
  size_t artifact = 0;              // index into Report::artifacts
  bool audited = false;
  // Held while rules run. On the heap so that `lines`, which views it, stays
  // valid when the File is moved.
  std::shared_ptr<const std::string> content;
  std::unique_ptr<text::LineIndex> lines;
  std::optional<shell::ShellScript> shell;
};

struct Package {
  std::string display_name;         // the package path as given
  bool is_archive = false;
  std::vector<File> files;          // in entry order; directories included only when their name is unsafe

  std::vector<const File*> files_of_kind(FileKind kind) const;
};

}  // namespace pkgaudit::model
