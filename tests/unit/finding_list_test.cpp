#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "pkgaudit/finding_list.hpp"
#include "report/finding_list_access.hpp"

using namespace pkgaudit;

namespace {

Finding make(uint32_t n) {
  Finding f;
  f.rule_id = n % 2 ? "PA201" : "PA301";
  f.level = n % 3 ? Level::warning : Level::error;
  f.message = n % 4 ? "the same message, shared by many findings" : "message " + std::to_string(n);
  f.location = {"scripts/run-" + std::to_string(n / 10) + ".sh", n, n % 200 + 1, n + 1, 300000 + n,
                std::string(n % 300, 'x'), n % 7 + 1};
  if (n % 5 == 0) {
    f.related.push_back({{"etc/cron.d/job", n + 1, 1, n + 1, 40, "0 3 * * * root /opt/run.sh", 1}, "run by it"});
    f.related.push_back({{"", 0, 0, 0, 0, "", 1}, ""});
  }
  f.fingerprint = n % 6 ? std::string(32, static_cast<char>('a' + n % 6)) : "";
  f.line_hash = "0123456789abcdef:" + std::to_string(n);
  f.suppressed = n % 8 == 0;
  f.justification = f.suppressed ? "reviewed" : "";
  f.baseline = static_cast<BaselineState>(n % 5);
  return f;
}

void check_same(const Finding& a, const Finding& b) {
  CHECK(a.rule_id == b.rule_id);
  CHECK(a.level == b.level);
  CHECK(a.message == b.message);
  CHECK(a.location.path == b.location.path);
  CHECK(a.location.line == b.location.line);
  CHECK(a.location.column == b.location.column);
  CHECK(a.location.end_line == b.location.end_line);
  CHECK(a.location.end_column == b.location.end_column);
  CHECK(a.location.snippet == b.location.snippet);
  CHECK(a.location.snippet_column == b.location.snippet_column);
  REQUIRE(a.related.size() == b.related.size());
  for (size_t i = 0; i < a.related.size(); ++i) {
    CHECK(a.related[i].message == b.related[i].message);
    CHECK(a.related[i].location.path == b.related[i].location.path);
    CHECK(a.related[i].location.line == b.related[i].location.line);
    CHECK(a.related[i].location.end_column == b.related[i].location.end_column);
    CHECK(a.related[i].location.snippet == b.related[i].location.snippet);
  }
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.line_hash == b.line_hash);
  CHECK(a.suppressed == b.suppressed);
  CHECK(a.justification == b.justification);
  CHECK(a.baseline == b.baseline);
}

}  // namespace

TEST_CASE("FindingList: every field comes back as it went in, strings shared or not") {
  std::vector<Finding> in;
  for (uint32_t n = 0; n < 500; ++n) in.push_back(make(n));
  const FindingList list(in);
  REQUIRE(list.size() == in.size());
  for (size_t i = 0; i < in.size(); ++i) check_same(list[i], in[i]);
  size_t i = 0;
  for (const Finding& f : list) check_same(f, in[i++]);
  CHECK(i == in.size());
  // The sort key reads the same strings without decoding the record.
  for (size_t k = 0; k < in.size(); ++k) {
    const auto key = detail::FindingListAccess::key(list, k);
    CHECK(key.rule_id == in[k].rule_id);
    CHECK(key.message == in[k].message);
    CHECK(key.path == in[k].location.path);
    CHECK(key.line == in[k].location.line);
    CHECK(key.column == in[k].location.column);
  }
}

TEST_CASE("FindingList: shared strings take their room once") {
  // The same finding a thousand times but for its fingerprint, and the
  // same with a message of its own each: the first shares its message.
  std::vector<Finding> same, distinct;
  for (uint32_t n = 0; n < 1000; ++n) {
    Finding f = make(1);
    f.fingerprint = std::to_string(n) + std::string(28, 'f');
    same.push_back(f);
    f.message += std::to_string(n);
    distinct.push_back(f);
  }
  const auto bytes = [](const FindingList& list) { return detail::FindingListAccess::encoded_bytes(list); };
  const FindingList a(same), b(distinct);
  CHECK(bytes(b) - bytes(a) > 1000 * (make(1).message.size() - 4));
  check_same(a[999], same[999]);
  check_same(b[999], distinct[999]);
}

TEST_CASE("FindingList: push_back, append, set_baseline, copies") {
  FindingList list;
  CHECK(list.empty());
  CHECK(list.begin() == list.end());
  for (uint32_t n = 0; n < 3000; ++n) list.push_back(make(n));  // several blocks
  FindingList more(std::vector<Finding>{make(7000), make(7001)});
  list.append(std::move(more));
  CHECK(more.empty());
  list.push_back(make(7002));  // after an appended block: a new one
  REQUIRE(list.size() == 3003);
  for (uint32_t n = 0; n < 3000; n += 97) check_same(list[n], make(n));
  check_same(list[3000], make(7000));
  check_same(list[3001], make(7001));
  check_same(list[3002], make(7002));

  // The iterator's record is reused from one finding to the next; copies
  // taken from it are the findings' own.
  const std::vector<Finding> all(list.begin(), list.end());
  REQUIRE(all.size() == list.size());
  check_same(all[0], make(0));
  check_same(all[3002], make(7002));
  CHECK(list.begin()->location.path == make(0).location.path);

  list.set_baseline(5, BaselineState::absent);
  CHECK(list[5].baseline == BaselineState::absent);
  CHECK(list[5].message == make(5).message);

  const FindingList copy = list;
  list.set_baseline(5, BaselineState::new_);
  CHECK(copy[5].baseline == BaselineState::absent);
  check_same(copy[3002], make(7002));

  CHECK_THROWS_AS(list[list.size()], std::out_of_range);
  CHECK_THROWS_AS(list.set_baseline(list.size(), BaselineState::new_), std::out_of_range);
  list.clear();
  CHECK(list.size() == 0);
}
