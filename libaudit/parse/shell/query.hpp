// Tree-sitter queries over shell text, for custom rules written in the
// configuration. The text predicates tree-sitter leaves to its host
// (#eq?, #match?, #any-of? and their #not- forms) are evaluated here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "parse/shell/shell_model.hpp"
#include "pkgaudit/options.hpp"

namespace pkgaudit::shell {

struct QueryError {
  uint32_t line = 1;    // 1-based, in the query text
  uint32_t column = 1;  // 1-based, in bytes
  std::string message;
};

struct QueryCapture {
  std::string name;
  std::string text;  // the node's source text
  Span span;         // in file coordinates
};

struct QueryMatch {
  std::vector<QueryCapture> captures;  // in capture order; a name may repeat
};

class ShellQuery {
 public:
  static std::variant<ShellQuery, QueryError> compile(std::string_view source);

  const std::vector<std::string>& capture_names() const { return names_; }

  // Every match in `text`, whose byte i sits at offsets[i] of the file
  // (identity when offsets is empty). Parsing and matching together are
  // bounded by limits.parse_milliseconds; false when that limit cut them short.
  bool run(std::string_view text, const std::vector<uint32_t>& offsets, const Limits& limits,
           std::vector<QueryMatch>& out) const;

  struct Compiled;

 private:
  std::shared_ptr<const Compiled> compiled_;
  std::vector<std::string> names_;
};

}  // namespace pkgaudit::shell
