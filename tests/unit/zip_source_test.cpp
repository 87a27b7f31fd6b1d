// Reading a zip entry again once the first reading is done: in place for
// stored and deflated entries, through libzip for any other method; the
// same bytes as the first reading, or an error, never other bytes.
#include <doctest/doctest.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scratch_dir.hpp"
#include "source/package_source.hpp"
#include "zip_writer.hpp"

namespace fs = std::filesystem;
using namespace pkgaudit;
using namespace pkgaudit::testing;

namespace {

std::string noise(size_t size) {
  std::string out(size, '\0');
  uint32_t x = 2463534242u;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return out;
}

std::string script(size_t size) {
  std::string out;
  while (out.size() < size) out += "sudo systemctl restart dten-" + std::to_string(out.size()) + ".service\n";
  out.resize(size);
  return out;
}

ZipEntrySpec entry(std::string name, std::string data, bool store = false, int32_t method = -1) {
  ZipEntrySpec e;
  e.name = std::move(name);
  e.data = std::move(data);
  e.store = store;
  e.method = method;
  return e;
}

const fs::path& scratch() {
  static const ScratchDir dir("pkgaudit-reread-");
  return dir.path();
}

// The entries written to a zip file and opened; `written`, when given, is
// where, for a test to change the file under the open source.
std::unique_ptr<source::PackageSource> open(const std::vector<ZipEntrySpec>& entries, fs::path* written = nullptr) {
  static int files = 0;
  const fs::path path = scratch() / (std::to_string(++files) + ".zip");
  REQUIRE(write_zip(path.string(), entries).empty());
  auto opened = source::open_zip_file(path.string(), Limits{});
  REQUIRE(opened);
  if (written) *written = path;
  return std::move(opened).value();
}

}  // namespace

TEST_CASE("zip source: entries read again after reading_done are the bytes first read") {
  const std::vector<ZipEntrySpec> entries = {
      entry("empty.sh", ""),
      entry("small.sh", script(100)),
      entry("stored.sh", script(200'000), true),      // over the 64 KiB chunk
      entry("deflated.sh", script(300'000)),          // many chunks out per chunk in
      entry("noise.bin", noise(150'000)),             // deflate that does not shrink
      entry("stored-noise.bin", noise(70'000), true),
  };
  const auto source = open(entries);
  REQUIRE(source->entries().size() == entries.size());
  std::vector<std::string> first;
  for (const source::EntryHeader& h : source->entries()) first.push_back(source->read(h, UINT64_MAX).bytes);
  source->reading_done({0, 1, 2, 3, 4, 5});
  CHECK(source->entries().empty());
  for (size_t i = 0; i < entries.size(); ++i) {
    INFO(entries[i].name);
    CHECK(first[i] == entries[i].data);
    const source::EntryData again = source->read_again(i, UINT64_MAX);
    CHECK(again.error.empty());
    CHECK_FALSE(again.truncated);
    CHECK(again.bytes == entries[i].data);
  }
  SUBCASE("at most cap bytes") {
    const source::EntryData cut = source->read_again(3, 70'000);
    CHECK(cut.error.empty());
    CHECK(cut.truncated);
    CHECK(cut.bytes == entries[3].data.substr(0, 70'000));
    const source::EntryData stored = source->read_again(2, 5);
    CHECK(stored.truncated);
    CHECK(stored.bytes == entries[2].data.substr(0, 5));
  }
}

TEST_CASE("zip source: entries not named to reading_done are still read again, through libzip") {
  const std::vector<ZipEntrySpec> entries = {entry("a.sh", script(5000)), entry("b.sh", script(90'000)),
                                             entry("c.sh", script(300), true)};
  const auto source = open(entries);
  source->reading_done({1});
  for (const size_t i : {2, 1, 0}) {
    INFO(entries[i].name);
    const source::EntryData again = source->read_again(i, UINT64_MAX);
    CHECK(again.error.empty());
    CHECK(again.bytes == entries[i].data);
  }
  CHECK(source->read_again(0, 10).bytes == entries[0].data.substr(0, 10));
}

TEST_CASE("zip source: other methods are read again through libzip, opened again") {
  if (!zip_compression_method_supported(ZIP_CM_BZIP2, 1)) {
    MESSAGE("this libzip cannot write bzip2: skipped");
    return;
  }
  const std::vector<ZipEntrySpec> entries = {entry("a.sh", script(5000)), entry("b.sh", script(90'000), false, ZIP_CM_BZIP2)};
  const auto source = open(entries);
  source->reading_done({0, 1});
  CHECK(source->read_again(1, UINT64_MAX).bytes == entries[1].data);
  CHECK(source->read_again(0, UINT64_MAX).bytes == entries[0].data);
  CHECK(source->read_again(1, 10).bytes == entries[1].data.substr(0, 10));
}

TEST_CASE("zip source: a deflated entry whose bytes changed is an error, never other bytes") {
  const std::string text = script(40'000);
  fs::path path;
  const auto source = open({entry("a.sh", text)}, &path);
  REQUIRE(source->read(source->entries()[0], UINT64_MAX).bytes == text);
  source->reading_done({0});
  // Flip one byte of the deflate stream, past its first block header.
  {
    std::FILE* f = std::fopen(path.c_str(), "r+b");
    REQUIRE(f != nullptr);
    std::fseek(f, 30 + 4 + 200, SEEK_SET);  // local header, name, into the data
    const int c = std::fgetc(f);
    std::fseek(f, 30 + 4 + 200, SEEK_SET);
    std::fputc(c ^ 0x10, f);
    std::fclose(f);
  }
  const source::EntryData again = source->read_again(0, UINT64_MAX);
  CHECK_FALSE(again.error.empty());
  CHECK(again.bytes != text);
}

TEST_CASE("zip source: an archive in memory, data descriptors, read again after reading_done") {
  std::vector<ZipEntrySpec> specs;
  ZipEntrySpec deflated = entry("described.sh", script(20'000));
  deflated.deflate = true;
  deflated.data_descriptor = true;  // CRC and sizes after the data
  ZipEntrySpec stored = entry("stored.sh", script(3'000), true);
  specs.push_back(deflated);
  specs.push_back(stored);
  auto opened = source::open_zip_bytes(raw_zip_bytes(specs), "nested.zip");
  REQUIRE(opened);
  const auto& source = opened.value();
  REQUIRE(source->structure_problems().empty());
  REQUIRE(source->entries().size() == 2);
  CHECK(source->read(source->entries()[0], UINT64_MAX).bytes == specs[0].data);
  source->reading_done({1, 0});
  for (size_t i = 0; i < specs.size(); ++i) {
    INFO(specs[i].name);
    const source::EntryData again = source->read_again(i, UINT64_MAX);
    CHECK(again.error.empty());
    CHECK(again.bytes == specs[i].data);
  }
}

TEST_CASE("directory source: read_again reads the entry by its index") {
  const fs::path dir = scratch() / "tree";
  fs::create_directories(dir / "scripts");
  std::ofstream(dir / "scripts/a.sh", std::ios::binary) << "#!/bin/sh\nsudo ls\n";
  auto opened = source::open_directory(dir.string());
  REQUIRE(opened);
  const auto& source = opened.value();
  size_t index = SIZE_MAX;
  for (size_t i = 0; i < source->entries().size(); ++i) {
    if (source->entries()[i].raw_name == "scripts/a.sh") index = i;
  }
  REQUIRE(index != SIZE_MAX);
  source->reading_done({index});
  CHECK(source->read_again(index, UINT64_MAX).bytes == "#!/bin/sh\nsudo ls\n");
}
