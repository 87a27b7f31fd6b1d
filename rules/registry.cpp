// Every rule, sorted by id. The core never names a rule; this table is the
// one place that does. (Self-registration from a static library is dropped
// by the linker, so the table is explicit.) A retired rule keeps its row.
#include <algorithm>
#include <array>
#include <vector>

#include "pkgaudit/custom_rule.hpp"
#include "rules/custom/custom_rules.hpp"
#include "rules/rule.hpp"

namespace pkgaudit::rules {

extern const Rule PA001_unused_suppression;
extern const Rule PA101_unsafe_entry_path;
extern const Rule PA102_archive_limit_exceeded;
extern const Rule PA103_unparsable_file;
extern const Rule PA104_symlink_entry;
extern const Rule PA105_duplicate_entry;
extern const Rule PA201_assumed_sudo;
extern const Rule PA202_unchecked_root_write;
extern const Rule PA301_missing_unit;
extern const Rule PA302_missing_unit_dependency;
extern const Rule PA303_invalid_unit;
extern const Rule PA304_embedded_cron_job;
extern const Rule PA305_invalid_cron_entry;
extern const Rule PA401_unlocked_schema_ddl;
extern const Rule PA402_blocking_index_build;
extern const Rule PA403_table_rewrite_ddl;
extern const Rule PA404_destructive_ddl;
extern const Rule PA501_dead_sftp_host;
extern const Rule PA601_unknown_signing_root;
extern const Rule PA602_unsigned_package;
extern const Rule PA603_signature_mismatch;
extern const Rule PA604_weak_signature_algorithm;
extern const Rule PA605_signing_cert_validity;
extern const Rule PA606_unsigned_entry;
extern const Rule PA701_irreversible_side_effect;
extern const Rule PA702_embedded_credential;

namespace {
constexpr std::array kRegistry{
    &PA001_unused_suppression,
    &PA101_unsafe_entry_path,
    &PA102_archive_limit_exceeded,
    &PA103_unparsable_file,
    &PA104_symlink_entry,
    &PA105_duplicate_entry,
    &PA201_assumed_sudo,
    &PA202_unchecked_root_write,
    &PA301_missing_unit,
    &PA302_missing_unit_dependency,
    &PA303_invalid_unit,
    &PA304_embedded_cron_job,
    &PA305_invalid_cron_entry,
    &PA401_unlocked_schema_ddl,
    &PA402_blocking_index_build,
    &PA403_table_rewrite_ddl,
    &PA404_destructive_ddl,
    &PA501_dead_sftp_host,
    &PA601_unknown_signing_root,
    &PA602_unsigned_package,
    &PA603_signature_mismatch,
    &PA604_weak_signature_algorithm,
    &PA605_signing_cert_validity,
    &PA606_unsigned_entry,
    &PA701_irreversible_side_effect,
    &PA702_embedded_credential,
};
}  // namespace

std::span<const Rule* const> registry() { return kRegistry; }

}  // namespace pkgaudit::rules

namespace pkgaudit {

std::span<const RuleInfo> rule_catalogue() {
  static const std::vector<RuleInfo> infos = [] {
    std::vector<RuleInfo> out;
    for (const rules::Rule* rule : rules::registry()) out.push_back(rule->info);
    return out;
  }();
  return infos;
}

const RuleInfo* find_rule(std::string_view id) {
  for (const RuleInfo& info : rule_catalogue()) {
    if (info.id == id) return &info;
  }
  return nullptr;
}

std::vector<RuleInfo> rule_catalogue(const std::vector<CustomRule>& custom) {
  const auto builtin = rule_catalogue();
  std::vector<RuleInfo> out(builtin.begin(), builtin.end());
  for (const CustomRule& rule : custom) out.push_back(rules::custom_rule_info(rule));
  return out;
}

const char* custom_rule_kind_name(CustomRule::Kind kind) noexcept {
  switch (kind) {
    case CustomRule::Kind::shell_query: return "shell-query";
    case CustomRule::Kind::command: return "command";
    case CustomRule::Kind::unit_key: return "unit-key";
    case CustomRule::Kind::host: return "host";
  }
  return "command";
}

}  // namespace pkgaudit
