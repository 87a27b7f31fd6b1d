#include <fmt/format.h>

#include "pkgaudit/config.hpp"
#include "rules/rule.hpp"

namespace pkgaudit::rules {
namespace {

constexpr std::string_view kHelp = R"md(## What it does
Reports inline suppressions that do nothing: a `# pkgaudit: ignore[ID]`
whose rule produced no finding on that line (or the line below), one that
names an unknown rule, one that tries to suppress an archive-safety finding
(PA1xx, which cannot be suppressed inline), and one that is malformed.

## Why is this bad?
A stale suppression is a blind spot waiting to happen: when the code
around it changes, it silently hides the next real finding. An unknown id
is usually a typo, so the finding it meant to silence is still there. As
ruff does for `noqa`, pkgaudit keeps suppressions honest.

## Example
```sh
# pkgaudit: ignore[PA201] reviewed with the vendor
systemctl daemon-reload          # nothing here uses sudo any more
```

## Use instead
```sh
systemctl daemon-reload
```
)md";

void check(const model::Package& package, FindingSink& sink) {
  for (const model::Suppression& s : package.suppressions) {
    if (!s.problem.empty()) {
      sink.report(*s.file, s.span, fmt::format("malformed suppression: {}; it suppresses nothing", s.problem));
      continue;
    }
    for (size_t i = 0; i < s.ids.size(); ++i) {
      const std::string& id = s.ids[i];
      if (!is_rule_id(package.options, id)) {
        sink.report(*s.file, s.span, fmt::format("the suppression names '{}', which is not a pkgaudit rule", id));
      } else if (id.starts_with("PA1") || id == "PA001") {
        sink.report(*s.file, s.span,
                    fmt::format("{} findings cannot be suppressed inline: archive safety is not the package's to waive",
                                id));
      } else if (!s.used[i]) {
        sink.report(*s.file, s.span,
                    fmt::format("the suppression of {} matched no finding {}: remove it before it hides a future one",
                                id, s.whole_file ? "in this file" : "on its line or the next"));
      }
    }
  }
}

}  // namespace

extern const Rule PA001_unused_suppression;
const Rule PA001_unused_suppression{
    {.id = "PA001",
     .name = "unused-suppression",
     .level = Level::warning,
     .summary = "an inline suppression that matched no finding, or names an unknown rule",
     .help = kHelp,
     .fix = "remove the suppression, or fix the rule id in it",
     .tags = {"meta", "maintainability"},
     .security_severity = 1.0},
    check, /*after_suppressions=*/true, /*whole_package=*/true};

}  // namespace pkgaudit::rules
