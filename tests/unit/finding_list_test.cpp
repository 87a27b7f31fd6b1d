#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <thread>
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

TEST_CASE("FindingList: every field comes back as it went in, strings repeated or not") {
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

TEST_CASE("FindingList: findings held compressed, a fraction of their records") {
  // As a rule's findings are: one template of message, a few paths, the
  // same lines again.
  std::vector<Finding> in;
  size_t record_bytes = 0;
  for (uint32_t n = 0; n < 20000; ++n) {
    Finding f = make(n);
    f.message = "`systemctl restart` names dten-" + std::to_string(n % 700) +
                ".service, which is not installed by this package: the command fails";
    record_bytes += sizeof(Finding) + f.message.size() + f.location.path.size() + f.location.snippet.size() +
                    f.fingerprint.size() + f.line_hash.size();
    in.push_back(std::move(f));
  }
  const FindingList list(in);
  CHECK(detail::FindingListAccess::encoded_bytes(list) * 8 < record_bytes);
  size_t i = 0;
  for (const Finding& f : list) check_same(f, in[i++]);
  CHECK(i == in.size());
}

TEST_CASE("FindingList: fingerprints and line hashes of any form come back as they went in") {
  // Digests are held as bytes up to the first character that is not a
  // lowercase hex digit, in pairs; the rest as it is.
  const std::vector<std::string> forms = {"",          "0",     "0f",   "abc",           "ABCDEF12", "0123456789abcdef:12",
                                          "00ff:",     ":7",    "g1",   "deadbeefX00ff", "a b",      std::string(64, 'f'),
                                          "abcdef0\n"};
  std::vector<Finding> in;
  for (size_t i = 0; i < forms.size(); ++i) {
    Finding f = make(static_cast<uint32_t>(i));
    f.fingerprint = forms[i];
    f.line_hash = forms[forms.size() - 1 - i];
    in.push_back(f);
  }
  const FindingList list(in);
  for (size_t i = 0; i < in.size(); ++i) {
    CHECK(list[i].fingerprint == in[i].fingerprint);
    CHECK(list[i].line_hash == in[i].line_hash);
  }
  FindingList pushed;
  for (const Finding& f : in) pushed.push_back(f);
  for (size_t i = 0; i < in.size(); ++i) check_same(pushed[i], in[i]);
}

TEST_CASE("FindingList: findings that do not compress are held as they are") {
  std::vector<Finding> in;
  uint64_t x = 88172645463325252u;
  size_t text_bytes = 0;
  for (uint32_t n = 0; n < 300; ++n) {
    Finding f = make(n);
    f.location.snippet.clear();
    for (int k = 0; k < 600; ++k) {  // xorshift: bytes zstd finds nothing in
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      f.location.snippet += static_cast<char>(x & 0xff);
    }
    text_bytes += f.location.snippet.size();
    in.push_back(std::move(f));
  }
  const FindingList list(in);
  CHECK(detail::FindingListAccess::encoded_bytes(list) > text_bytes);
  for (size_t i = 0; i < in.size(); ++i) check_same(list[i], in[i]);
}

TEST_CASE("FindingList: lists read in turn, and from several threads at once") {
  std::vector<Finding> a, b;
  for (uint32_t n = 0; n < 4000; ++n) {
    a.push_back(make(n));
    b.push_back(make(n + 100000));
  }
  const FindingList la(a), lb(b);
  const FindingList copy = la;
  // One thread's decompressed block is another list's in turn: each read
  // is of its own list's block.
  for (size_t i = 0; i < a.size(); i += 7) {
    check_same(la[i], a[i]);
    check_same(lb[i], b[i]);
    check_same(copy[a.size() - 1 - i], a[a.size() - 1 - i]);
  }
  std::vector<std::thread> readers;
  std::vector<size_t> wrong(4);
  for (size_t t = 0; t < wrong.size(); ++t) {
    readers.emplace_back([&, t] {
      const FindingList& list = t % 2 ? lb : la;
      const std::vector<Finding>& expected = t % 2 ? b : a;
      size_t i = 0;
      for (const Finding& f : list) {
        if (f.message != expected[i].message || f.location.snippet != expected[i].location.snippet ||
            f.location.line != expected[i].location.line) {
          ++wrong[t];
        }
        ++i;
      }
    });
  }
  for (std::thread& t : readers) t.join();
  for (size_t t = 0; t < wrong.size(); ++t) CHECK(wrong[t] == 0);
}

TEST_CASE("FindingList: a reader that takes the blocks in order") {
  using Access = detail::FindingListAccess;
  std::vector<Finding> in;
  for (uint32_t n = 0; n < 3000; ++n) in.push_back(make(n));
  FindingList list(in);
  const size_t before = Access::encoded_bytes(list);
  size_t i = 0;
  size_t blocks = 0;
  for (size_t block = 0; block < Access::blocks(list); ++block) {
    const uint32_t count = Access::count_of(list, block);
    const Access::Records records = Access::take_block(list, block);
    ++blocks;
    uint32_t offset = 0;
    for (uint32_t k = 0; k < count; ++k, ++i) {
      REQUIRE(i < in.size());
      if (k > 0) offset = Access::next_at(records.get(), offset);
      const auto key = Access::key_at(records.get(), offset);
      CHECK(key.path == in[i].location.path);
      CHECK(key.line == in[i].location.line);
      Finding f;
      Access::decode_at(records.get(), offset, f);
      f.baseline = in[i].baseline;
      check_same(f, in[i]);
    }
  }
  CHECK(i == in.size());
  CHECK(blocks > 1);
  CHECK(before > 0);
  CHECK(Access::encoded_bytes(list) == 0);  // every block taken
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

TEST_CASE("FindingList: a copy and its original, grown apart, each read right on one thread") {
  FindingList a;
  for (uint32_t n = 0; n < 20; ++n) a.push_back(make(n));  // one block, open to more
  FindingList b = a;
  for (uint32_t n = 0; n < 20; ++n) {
    a.push_back(make(1000 + n));
    b.push_back(make(5000 + 3 * n));
  }
  // Read in turn, so that where one was read last is next to the other's place.
  for (uint32_t n = 0; n < 40; ++n) {
    check_same(a[n], n < 20 ? make(n) : make(1000 + n - 20));
    check_same(b[n], n < 20 ? make(n) : make(5000 + 3 * (n - 20)));
  }
  for (uint32_t n = 40; n-- > 0;) {
    check_same(b[n], n < 20 ? make(n) : make(5000 + 3 * (n - 20)));
    check_same(a[n], n < 20 ? make(n) : make(1000 + n - 20));
  }
}
