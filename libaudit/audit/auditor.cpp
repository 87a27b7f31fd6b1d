// The pipeline: source -> classify -> parse -> package model -> rules ->
// findings (sorted, fingerprinted). Nothing here names a rule.
#include "pkgaudit/auditor.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <filesystem>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <openssl/evp.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "audit/suppressions.hpp"
#include "audit/worker_pool.hpp"
#include "classify/classify.hpp"
#include "package/endpoints.hpp"
#include "package/package.hpp"
#include "parse/cron/crontab.hpp"
#include "parse/shell/shell_parser.hpp"
#include "parse/sql/sql_script.hpp"
#include "parse/unit/unit_file.hpp"
#include "pkgaudit/config.hpp"
#include "report/finding_list_access.hpp"
#include "report/line_hash.hpp"
#include "rules/custom/custom_rules.hpp"
#include "rules/rule.hpp"
#include "source/package_source.hpp"
#include "text/glob.hpp"
#include "text/utf8.hpp"

namespace pkgaudit {
namespace {

// Whitespace-insensitive line text: the fingerprint survives re-indentation
// and, since it never includes the line number, edits above the line.
std::string normalised_line(std::string_view line) {
  std::string out;
  bool space = false;
  for (const char c : line) {
    if (c == ' ' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The files whose text is held, by path. Paths are made valid UTF-8 before
// findings are sorted: a file whose path is not matches none of them.
using FilesByPath = std::map<std::string_view, const model::File*>;

FilesByPath held_files(const std::vector<const model::File*>& files) {
  FilesByPath by_path;
  for (const model::File* file : files) {
    if (file->content && text::is_valid_utf8(file->path)) by_path.emplace(file->path, file);
  }
  return by_path;
}

// Line 1's hash of each file whose text was released (the rest of its
// lines' are not known), by path; of files of one path, the first's. Read
// once the files are gone: a path is their artifact's, which is the file's
// own unless that is not valid UTF-8, and then no finding's path matches.
class FirstLineHashes {
 public:
  // `artifacts` may be written after: only find() reads them.
  FirstLineHashes(const std::vector<model::File>& files, const std::vector<Artifact>& artifacts)
      : artifacts_(artifacts) {
    // Indexes, not copies: this runs at the audit's peak, the package's
    // models still held.
    std::vector<uint32_t> found;
    for (size_t i = 0; i < files.size(); ++i) {
      const model::File& file = files[i];
      if (file.content || !file.first_line_hashed || !text::is_valid_utf8(file.path)) continue;
      found.push_back(static_cast<uint32_t>(i));
    }
    std::stable_sort(found.begin(), found.end(), [&](uint32_t a, uint32_t b) { return files[a].path < files[b].path; });
    by_path_.reserve(found.size());
    for (const uint32_t i : found) by_path_.emplace_back(files[i].artifact, files[i].first_line_hash);
  }
  const uint64_t* find(std::string_view p) const {
    const auto it = std::lower_bound(by_path_.begin(), by_path_.end(), p,
                                     [this](const auto& entry, std::string_view q) { return path(entry) < q; });
    return it != by_path_.end() && path(*it) == p ? &it->second : nullptr;
  }

 private:
  std::string_view path(const std::pair<uint32_t, uint64_t>& entry) const { return artifacts_[entry.first].path; }

  const std::vector<Artifact>& artifacts_;
  std::vector<std::pair<uint32_t, uint64_t>> by_path_;  // artifact index, hash
};

// The findings without a line hash in each of the held files.
std::map<const model::File*, std::vector<Finding*>> wanting_line_hashes(std::vector<Finding>& findings,
                                                                       const FilesByPath& held) {
  std::map<const model::File*, std::vector<Finding*>> wanted;
  for (Finding& f : findings) {
    if (!f.line_hash.empty()) continue;
    if (const auto it = held.find(f.location.path); it != held.end()) wanted[it->second].push_back(&f);
  }
  return wanted;
}

// GitHub's line hash needs the file's whole text: computed once per file
// with findings.
void hash_lines_of(const model::File& file, const std::vector<Finding*>& some) {
  const report::LineHashes hashes(*file.content);
  for (Finding* f : some) {
    const uint32_t at = std::max<uint32_t>(f->location.line, 1) - 1;
    if (at < hashes.size()) f->line_hash = hashes.at(at);
  }
}

// Fingerprints `findings`, which are in result order and all of the
// findings of each path among them: an occurrence counts equal lines within
// one file. Line hashes of files whose text was held were taken already;
// of a released file only line 1's is known (`released`).
void fingerprint(std::vector<Finding>& findings, const FirstLineHashes& released) {
  std::map<std::string, uint32_t> seen;       // rule and line, in the current file
  std::map<std::string, uint32_t> seen_line;  // line, in the current file
  for (size_t i = 0; i < findings.size(); ++i) {
    Finding& f = findings[i];
    if (i > 0 && f.location.path != findings[i - 1].location.path) {
      seen.clear();
      seen_line.clear();
    }
    const std::string line = normalised_line(f.location.snippet);
    const uint32_t occurrence = ++seen[f.rule_id + '\0' + line];
    const std::string key = f.rule_id + '\0' + f.location.path + '\0' + line + '\0' + std::to_string(occurrence);
    f.fingerprint = text::sha256_hex(key).substr(0, 32);
    if (!f.line_hash.empty()) continue;
    const uint32_t at = std::max<uint32_t>(f.location.line, 1) - 1;
    if (const uint64_t* first = released.find(f.location.path); first && at == 0) {
      f.line_hash = report::LineHashes::format(*first, 1);
    } else {
      f.line_hash = text::sha256_hex(line).substr(0, 16) + ":" + std::to_string(++seen_line[line]);
    }
  }
}

// Result order: path, line, column, rule, message.
bool before_in_result(const detail::FindingListAccess::Key& a, const detail::FindingListAccess::Key& b) {
  return std::tie(a.path, a.line, a.column, a.rule_id, a.message) <
         std::tie(b.path, b.line, b.column, b.rule_id, b.message);
}

detail::FindingListAccess::Key result_key(const Finding& f) {
  return {f.rule_id, f.message, f.location.path, f.location.line, f.location.column};
}

// The runs' findings (each run in result order already) merged in result
// order and fingerprinted. This thread takes each run's blocks in turn
// (decompressed) and merges the runs' sort keys, read in place; the pool
// decodes the findings a chunk at a time, fingerprints them and encodes
// them again. A block's records go once the merge has moved past them and
// every chunk that reads them is done, and no more chunks wait than the
// workers can start: the runs go as the result grows, and the findings are
// never all held twice, nor all decompressed. Equal findings keep the runs'
// order.
FindingList in_result_order(std::deque<FindingList>& runs, const FirstLineHashes& released,
                            audit::WorkerPool& pool) {
  using Access = detail::FindingListAccess;
  struct Head {
    Access::Key key;
    Access::Records records;  // of the block the run is at, once the merge reads it
    uint32_t run;
    uint32_t index;   // in the run
    size_t block;
    uint32_t offset;  // of the record in the block
    uint32_t left;    // findings of the block from this one on
  };
  const auto later = [](const Head& a, const Head& b) {  // a heap's top is its greatest
    if (before_in_result(b.key, a.key)) return true;
    if (before_in_result(a.key, b.key)) return false;
    return a.run > b.run;
  };
  // The key at the head's place, taking its block once the head comes to it.
  const auto read = [&runs](Head& head) {
    if (!head.records) {
      while (Access::count_of(runs[head.run], head.block) == 0) ++head.block;
      head.records = Access::take_block(runs[head.run], head.block);
      head.offset = 0;
      head.left = Access::count_of(runs[head.run], head.block);
    }
    head.key = Access::key_at(head.records.get(), head.offset);
  };
  // A run's first key is copied out of its block, which is taken only
  // when the merge comes to the run: most runs are of files apart from the
  // others', read one after the other, and a block taken for each at once
  // would be every run's first block decompressed at once.
  std::vector<Head> heads;
  std::vector<std::string> first_keys(runs.size());  // the first key's strings, until the block is taken
  for (uint32_t r = 0; r < runs.size(); ++r) {
    if (runs[r].empty()) continue;
    const Access::Key key = Access::key(runs[r], 0);
    first_keys[r].append(key.rule_id).append(key.message).append(key.path);
    const std::string_view held = first_keys[r];
    heads.push_back({{held.substr(0, key.rule_id.size()), held.substr(key.rule_id.size(), key.message.size()),
                      held.substr(key.rule_id.size() + key.message.size()), key.line, key.column},
                     nullptr, r, 0, 0, 0, 0});
  }
  std::make_heap(heads.begin(), heads.end(), later);

  struct Chunk {
    std::vector<Access::Records> records;
    std::vector<std::pair<uint32_t, uint32_t>> at;  // records, offset
  };
  // Chunks join the result in order as soon as they and those before them are done.
  FindingList all;
  struct Done {
    FindingList findings;
    std::atomic<bool> ready{false};
  };
  std::deque<Done> done;  // a deque: workers write to earlier ones while more are added
  const auto join_ready = [&] {
    while (!done.empty() && done.front().ready.load(std::memory_order_acquire)) {
      all.append(std::move(done.front().findings));
      done.pop_front();
    }
  };
  const size_t most_waiting = 2 * pool.threads() + 2;
  const auto submit = [&](Chunk chunk) {
    pool.wait_for_room(most_waiting);
    join_ready();
    Done& into = done.emplace_back();
    pool.submit([&released, &into, chunk = std::move(chunk)]() mutable {
      std::vector<Finding> some(chunk.at.size());
      for (size_t k = 0; k < chunk.at.size(); ++k) {
        Access::decode_at(chunk.records[chunk.at[k].first].get(), chunk.at[k].second, some[k]);
      }
      chunk = Chunk();
      fingerprint(some, released);
      into.findings = FindingList(some);
      into.ready.store(true, std::memory_order_release);
    });
  };
  // Chunks of about kChunk findings, cut where the path changes: an
  // occurrence counts equal lines within one file.
  constexpr size_t kChunk = 1024;
  Chunk chunk;
  std::string last_path;
  const audit::WaitOnUnwind guard(pool);
  while (!heads.empty()) {
    std::pop_heap(heads.begin(), heads.end(), later);
    Head& next = heads.back();
    if (!next.records) {
      read(next);
      std::string().swap(first_keys[next.run]);
    }
    if (next.key.path != last_path) {
      if (chunk.at.size() >= kChunk) submit(std::exchange(chunk, {}));
      last_path = next.key.path;
    }
    if (chunk.records.empty() || chunk.records.back() != next.records) chunk.records.push_back(next.records);
    chunk.at.emplace_back(static_cast<uint32_t>(chunk.records.size() - 1), next.offset);
    if (++next.index < runs[next.run].size()) {
      if (--next.left > 0) {
        next.offset = Access::next_at(next.records.get(), next.offset);
      } else {
        next.records = nullptr;
        ++next.block;
      }
      read(next);
      std::push_heap(heads.begin(), heads.end(), later);
    } else {
      runs[next.run] = FindingList();  // the chunks hold the records they read
      heads.pop_back();
    }
  }
  if (!chunk.at.empty()) submit(std::move(chunk));
  pool.wait();
  for (Done& some : done) all.append(std::move(some.findings));
  return all;
}

// What the first reading freed (libzip's index of the archive, the entry
// headers, reading buffers: 20 MiB at 50,000 entries) is free in the
// reading thread's heap, which the workers, allocating from heaps of their
// own, never reuse: glibc keeps it resident unless asked to hand it back.
void release_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

uint64_t sat_mul(uint64_t a, uint64_t b) { return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b; }

// Everything the files hold but their names and what the report says of them.
void drop_models(std::vector<model::File>& files) {
  for (model::File& file : files) {
    file.shell.reset();
    file.crontab.reset();
    file.unit.reset();
    file.sql.reset();
    file.lines.reset();
    file.content.reset();
  }
}

std::string file_name_of(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

class Pipeline {
 public:
  Pipeline(source::PackageSource& source, const std::string& display_name, const Options& options)
      : source_(source), options_(options) {
    package_.options = options;
    package_.display_name = display_name;
    package_.is_archive = source.is_archive();
    report_.package = display_name;
    report_.package_is_archive = source.is_archive();
    report_.category = options.category;
    report_.source_root = options.source_root;
    if (source.is_archive()) {
      Artifact root;
      root.path = text::to_valid_utf8(file_name_of(display_name));
      root.kind = FileKind::nested_zip;
      report_.artifacts.push_back(root);
    }
    first_draft_ = report_.artifacts.size();
    reason_id("");
    binary_reason_ = reason_id("binary content is not inspected");
  }

  void set_known_units(std::vector<std::string> units) { known_units_ = std::move(units); }

  Report run() {
    read_entries();
    run_rules();
    return std::move(report_);
  }

 private:
  // One entry on its way into the model: read in order on this thread,
  // parsed by a worker, added to the report in entry order, so the output
  // is the same for any number of workers. Its File is read in place, in
  // package_.files (file: its index), not copied there once read: the
  // records of a package of 50,000 files are tens of MiB. Small: there is
  // one for every entry until the whole package is read.
  struct Slot {
    uint64_t size = 0;
    uint32_t file = 0;
    int32_t parent_slot = -1;  // the nested archive this entry is in
    uint32_t not_audited = 0;  // why not: reason_id(); 0 when it is audited
    FileKind kind = FileKind::other;
    bool artifact = true;      // false: an unsafe directory name, reported but not an artifact
  };

  struct ArtifactDraft {
    uint64_t size = 0;    // uncompressed bytes
    int parent = -1;      // as Artifact::parent
    uint32_t reason = 0;  // why it is not audited: index into reasons_, 0 when it is
  };

  // What reading the whole package, nested archives included, shares.
  struct ReadState {
    uint64_t total = 0;  // uncompressed bytes read
    uint64_t count = 0;  // entries counted against [limits] entries
    uint64_t done = 0;
    uint64_t entry_count = 0;
    bool signed_manifest = false;
    std::chrono::steady_clock::time_point deadline;
    bool out_of_time = false;
    std::deque<Slot>* slots = nullptr;
    audit::WorkerPool* pool = nullptr;
    // Entries read but not yet handed to a worker. Most entries take a
    // worker microseconds; handed out one at a time, waking a worker for
    // each cost the reading thread more than inflating them.
    std::vector<Slot*> pending;
    uint64_t pending_bytes = 0;
  };

  void read_entries() {
    ReadState state;
    state.entry_count = source_.entries().size();
    // With a signed manifest in the package, every entry's digest is needed.
    for (const source::EntryHeader& h : source_.entries()) {
      const std::string n = source::normalise_entry_name(h.raw_name).name;
      const std::string base = n.substr(n.rfind('/') == std::string::npos ? 0 : n.rfind('/') + 1);
      state.signed_manifest = state.signed_manifest || n == "META-INF/MANIFEST.MF" || base == "SHA256SUMS" ||
                              base == "SHA512SUMS" || base == "checksums.txt";
    }
    deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(options_.limits.run_seconds);
    state.deadline = deadline_;
    // Slots (and files) outlive the pool: when reading throws (out of
    // memory), the pool's destructor must stop its workers before the slots
    // they hold go.
    std::deque<Slot> slots;
    package_.files.reserve(source_.entries().size());  // nested archives may add more
    audit::WorkerPool pool(options_.jobs);
    state.slots = &slots;
    state.pool = &pool;
    read_source(source_, "", -1, 0, state);
    hand_to_workers(state);
    pool.wait();
    std::vector<uint64_t> again;
    for (const Slot& slot : slots) {
      if (read_in_batch(slot)) again.push_back(package_.files[slot.file].entry);
    }
    source_.reading_done(std::move(again));
    release_free_memory();
    const size_t count = slots.size();
    std::vector<int> artifact_of(count, -1);
    drafts_.reserve(count);
    for (size_t i = 0; i < count; ++i, slots.pop_front()) {
      Slot& slot = slots.front();
      if (!slot.artifact) continue;
      const int parent = slot.parent_slot >= 0 ? artifact_of[static_cast<size_t>(slot.parent_slot)]
                                               : (report_.package_is_archive ? 0 : -1);
      artifact_of[i] = static_cast<int>(first_draft_ + drafts_.size());
      add_artifact(slot.file, slot.kind, slot.size, slot.not_audited, parent);
    }
  }

  // A new File for the entry being read. Workers hold files by index, not
  // by reference, but one may be mid-task: before the vector grows (a nested
  // archive's entries are beyond its reserve), every task finishes.
  size_t new_file(ReadState& state) {
    if (package_.files.size() == package_.files.capacity()) state.pool->wait();
    package_.files.emplace_back();
    return package_.files.size() - 1;
  }

  // Reads every entry of `source` into slots. Entries of a nested archive
  // get the archive's path and "!/" before their own (lib/plugins.zip!/install.sh),
  // as Java names entries of nested jars; `depth` counts the nesting.
  void read_source(source::PackageSource& source, const std::string& prefix, int32_t parent_slot, uint32_t depth,
                   ReadState& state) {
    const Limits& limits = options_.limits;
    std::deque<Slot>& slots = *state.slots;
    // The independent structure walk: entries two readers would see
    // differently are not audited (which reading would we audit?).
    std::map<uint64_t, std::string> structure;
    for (const source::StructureProblem& p : source.structure_problems()) {
      if (p.entry < 0) {
        package_.archive_problems.push_back(prefix.empty() ? p.message
                                                           : fmt::format("in {}: {}", prefix.substr(0, prefix.size() - 2),
                                                                         p.message));
        continue;
      }
      std::string& m = structure[static_cast<uint64_t>(p.entry)];
      m += (m.empty() ? "" : "; ") + p.message;
    }
    for (const source::EntryHeader& header : source.entries()) {
      if (options_.progress) options_.progress(++state.done, state.entry_count, state.total);
      Slot& slot = slots.emplace_back();
      const auto slot_index = static_cast<int32_t>(slots.size() - 1);
      slot.parent_slot = parent_slot;
      slot.file = static_cast<uint32_t>(new_file(state));
      model::File& file = package_.files[slot.file];
      const source::NormalisedName normalised = source::normalise_entry_name(header.raw_name);
      file.path = normalised.name.empty() ? std::string() : prefix + normalised.name;
      file.set_stored_name(prefix + header.raw_name);
      file.name = source::NameFlags(normalised);
      // Entries of the package itself can be read again; those of a nested
      // archive, read from memory that is gone by then, cannot.
      if (depth == 0) file.entry = static_cast<uint32_t>(&header - source.entries().data());
      slot.size = header.size;
      auto skip = [&](FileKind kind, std::string why) {
        slot.kind = kind;
        slot.not_audited = reason_id(std::move(why));
      };
      if (header.type == source::EntryType::directory) {
        // Directories are not artifacts; an unsafe or unreadable one still is reported.
        if (!header.unreadable.empty()) skip(FileKind::directory, header.unreadable);
        else if (file.name.any()) slot.artifact = false;
        else {
          slots.pop_back();
          package_.files.pop_back();  // the last, as no nested archive was read since
        }
        continue;
      }
      ++state.count;
      if (state.count > limits.entries) {
        file.rare_to_write().limit = fmt::format("[limits] entries = {}", limits.entries);
        skip(FileKind::other, fmt::format("beyond the limit of {} entries", limits.entries));
        continue;
      }
      if (file.path.empty()) {
        std::string stored(file.stored_name());
        file.path = fmt::format("{}unnamed-entry-{}", prefix, header.index);
        file.set_stored_name(std::move(stored));
        skip(FileKind::other, "the entry has no safe name");
        continue;
      }
      if (const auto it = structure.find(header.index); it != structure.end()) {
        file.rare_to_write().structure_problem = it->second;
        skip(FileKind::other, "zip readers disagree about this entry (see PA102)");
        continue;
      }
      if (header.raw_name.size() > limits.name_bytes) {
        file.rare_to_write().limit = fmt::format("[limits] name-bytes = {}", limits.name_bytes);
        skip(FileKind::other, fmt::format("its name is {} bytes long, over the limit of {}", header.raw_name.size(),
                                          limits.name_bytes));
        continue;
      }
      if (const auto dirs = static_cast<uint64_t>(std::count(file.path.begin(), file.path.end(), '/'));
          dirs > limits.path_depth) {
        file.rare_to_write().limit = fmt::format("[limits] path-depth = {}", limits.path_depth);
        skip(FileKind::other, fmt::format("its path is {} directories deep, over the limit of {}", dirs,
                                          limits.path_depth));
        continue;
      }
      state.out_of_time = state.out_of_time || std::chrono::steady_clock::now() > state.deadline;
      if (state.out_of_time) {
        file.rare_to_write().limit = fmt::format("[limits] run-seconds = {}", limits.run_seconds);
        skip(FileKind::other, fmt::format("the whole-run limit of {} s was reached before this entry", limits.run_seconds));
        continue;
      }
      if (!header.unreadable.empty()) {
        if (header.encrypted) file.rare_to_write().limit = "encrypted entries cannot be read";
        skip(FileKind::other, header.unreadable);
        continue;
      }
      if (const auto glob = excluded(file.path)) {
        skip(FileKind::other, fmt::format("excluded by [scan] exclude '{}'", *glob));
        continue;
      }
      if (header.type == source::EntryType::symlink) {
        slot.size = 0;
        file.rare_to_write().link_target = source.link_target(header);
        skip(FileKind::symlink, fmt::format("symlink to '{}', not followed", text::printable(file.rare().link_target)));
        continue;
      }
      if (header.type == source::EntryType::other) {
        slot.size = 0;
        skip(FileKind::other, "not a regular file");
        continue;
      }
      const uint64_t remaining = limits.total_bytes > state.total ? limits.total_bytes - state.total : 0;
      // A compressed entry may inflate only so far (deflate cannot exceed
      // 1032:1; real files over 1 MiB stay far below 100:1).
      const uint64_t compressed = std::max<uint64_t>(header.compressed_size, 1);
      const uint64_t ratio_cap =
          header.compressed
              ? std::min(sat_mul(compressed, limits.compression_ratio),
                         std::max<uint64_t>(1ull << 20, sat_mul(compressed, limits.compression_ratio_large)))
              : UINT64_MAX;
      const auto ratio_limit = [&] {
        file.rare_to_write().limit =
            fmt::format("[limits] compression-ratio = {} (compression-ratio-large = {} over 1 MiB)",
                        limits.compression_ratio, limits.compression_ratio_large);
        return fmt::format("inflates beyond the compression ratio limit: {} compressed bytes may give at most {}",
                           header.compressed_size, ratio_cap);
      };
      if (header.size > ratio_cap) {
        skip(FileKind::other, fmt::format("declares {} bytes; it {}", header.size, ratio_limit()));
        continue;
      }
      const uint64_t cap = std::min({limits.entry_bytes, remaining, ratio_cap});
      source::EntryData data = source.read(header, cap);
      state.total += data.bytes.size();
      if (!data.error.empty()) {
        skip(FileKind::other, fmt::format("read failed: {}", data.error));
        continue;
      }
      if (data.truncated && cap == ratio_cap && ratio_cap < std::min(limits.entry_bytes, remaining)) {
        skip(classify::classify(file.path, data.bytes), fmt::format("it {}", ratio_limit()));
        continue;
      }
      if (data.truncated) {
        file.rare_to_write().limit = cap == limits.entry_bytes
                                         ? fmt::format("[limits] entry-bytes = {}", limits.entry_bytes)
                                         : fmt::format("[limits] total-bytes = {}", limits.total_bytes);
        skip(classify::classify(file.path, data.bytes),
             cap == limits.entry_bytes ? fmt::format("larger than the per-entry limit of {} bytes", limits.entry_bytes)
                                       : fmt::format("past the total limit of {} bytes for the package", limits.total_bytes));
        continue;
      }
      slot.size = data.bytes.size();
      // A signed list covers the top level; a nested archive by its own digest.
      if (state.signed_manifest && depth == 0) {
        for (const auto& [name, md] : {std::pair{"SHA-256", EVP_sha256()}, std::pair{"SHA-384", EVP_sha384()},
                                       std::pair{"SHA-512", EVP_sha512()}, std::pair{"SHA1", EVP_sha1()},
                                       std::pair{"MD5", EVP_md5()}}) {
          unsigned char out[EVP_MAX_MD_SIZE];
          unsigned int len = 0;
          EVP_Digest(data.bytes.data(), data.bytes.size(), out, &len, md, nullptr);
          file.rare_to_write().digests[name] = std::string(reinterpret_cast<char*>(out), len);
        }
        file.rare_to_write().digests["SHA-1"] = file.rare().digests.at("SHA1");
      }
      // A nested archive is opened from memory and audited like the
      // package, to [limits] nesting-depth; deeper ones are reported.
      if (classify::is_zip_content(data.bytes)) {
        slot.kind = FileKind::nested_zip;
        if (depth + 1 > limits.nesting_depth) {
          file.rare_to_write().limit = fmt::format("[limits] nesting-depth = {}", limits.nesting_depth);
          skip(FileKind::nested_zip, fmt::format("an archive nested {} levels deep is not opened", depth + 1));
          continue;
        }
        auto nested = source::open_zip_bytes(std::move(data.bytes), file.path);
        if (!nested) {
          skip(FileKind::nested_zip, fmt::format("the nested archive cannot be read: {}", nested.error().message));
          continue;
        }
        read_source(*nested.value(), file.path + "!/", slot_index, depth + 1, state);
        continue;
      }
      file.content = std::make_shared<const std::string>(std::move(data.bytes));
      state.pending.push_back(&slot);
      state.pending_bytes += file.content->size();
      if (state.pending.size() >= kGroupEntries || state.pending_bytes >= kGroupBytes) hand_to_workers(state);
    }
  }

  static constexpr size_t kGroupEntries = 16;
  static constexpr uint64_t kGroupBytes = 256 * 1024;

  // Reading runs ahead of the workers by a few groups, not by the package:
  // in flight are at most that many groups' bytes (a group is one entry
  // when that entry alone is over kGroupBytes).
  void hand_to_workers(ReadState& state) {
    if (state.pending.empty()) return;
    state.pool->wait_for_room(2 * state.pool->threads() + 2);
    state.pool->submit([this, group = std::move(state.pending)] {
      for (Slot* slot : group) parse(*slot);
    });
    state.pending.clear();
    state.pending_bytes = 0;
  }

  std::optional<std::string> excluded(const std::string& path) const {
    for (const std::string& glob : options_.exclude) {
      if (text::glob_match(glob, path)) return glob;
    }
    return std::nullopt;
  }

  // A script or SQL file of the package itself, audited: its text is let go
  // once classified and read again for its batch.
  bool read_in_batch(const Slot& slot) const {
    return slot.not_audited == 0 && (slot.kind == FileKind::shell || slot.kind == FileKind::sql) &&
           package_.files[slot.file].entry != model::File::kNoEntry;
  }

  // Classifies and parses one entry; runs on a worker thread. The bytes of
  // what is not audited (binaries, mostly) go at once, not once the whole
  // package is read.
  void parse(Slot& slot) {
    classify_and_parse(slot);
    model::File& file = package_.files[slot.file];
    if (read_in_batch(slot)) {
      // Read again for its batch: what is read then must be these bytes.
      file.text_sha256 = text::sha256(*file.content);
      file.sql_may_include = slot.kind == FileKind::sql && file.content->find("\\i") != std::string::npos;
      file.first_line_hash = report::LineHashes(*file.content, 1).hash_at(0);
      file.first_line_hashed = true;
    } else if (slot.not_audited == 0) {
      file.entry = model::File::kNoEntry;  // held: nothing reads it again
      return;
    }
    file.lines.reset();
    file.content.reset();
  }

  void classify_and_parse(Slot& slot) {
    model::File& file = package_.files[slot.file];
    const std::string& content = *file.content;
    const uint64_t size = content.size();
    const FileKind kind = classify::classify(file.path, content);
    slot.kind = kind;
    auto too_big = [&] {
      const bool cron = kind == FileKind::crontab;
      const uint64_t limit = cron ? options_.limits.crontab_bytes : options_.limits.parse_bytes;
      if (size <= limit) return false;
      slot.not_audited = reason_id(fmt::format("larger than the {} byte limit for parsing", limit));
      file.rare_to_write().limit = fmt::format("[limits] {} = {}", cron ? "crontab-bytes" : "parse-bytes", limit);
      return true;
    };
    switch (kind) {
      case FileKind::shell:
        // Parsed later, batch by batch (check_batch), once every unit and
        // crontab the rules look scripts up in is known; indexed then
        // (parse_in_batch), as the text is read again then.
        too_big();
        return;
      case FileKind::crontab:
      case FileKind::systemd_unit:
        if (too_big()) return;
        file.lines = std::make_unique<text::LineIndex>(content);
        if (kind == FileKind::crontab) {
          file.crontab = std::make_unique<cron::Crontab>(cron::parse_crontab(content, file.path, options_.limits));
        } else {
          file.unit = std::make_unique<unit::UnitFile>(unit::parse_unit(content, file.path, options_.limits));
        }
        return;
      case FileKind::sql:
        // Parsed in a batch of its own once every session that runs it is known.
        too_big();
        return;
      case FileKind::nested_zip:
        // Real zips are opened while reading; this one only looks like one.
        slot.not_audited = reason_id("named like an archive, but not a zip");
        return;
      case FileKind::binary:
        slot.not_audited = binary_reason_;
        return;
      default:
        // Signature files are read by verification and the credential rule;
        // plain text is read and classified; no rule applies to it.
        file.lines = std::make_unique<text::LineIndex>(content);
        return;
    }
  }

  void add_artifact(uint32_t file_index, FileKind kind, uint64_t size, uint32_t not_audited, int parent) {
    model::File& file = package_.files[file_index];
    file.kind = kind;
    file.audited = not_audited == 0;
    if (!file.audited) {
      file.lines.reset();
      file.content.reset();
    }
    file.artifact = static_cast<uint32_t>(first_draft_ + drafts_.size());
    file.has_artifact = true;
    drafts_.push_back({size, parent, not_audited});
  }

  ArtifactDraft& draft_of(const model::File& file) { return drafts_[file.artifact - first_draft_]; }

  uint32_t reason_id(std::string reason) {
    const std::lock_guard lock(reasons_mutex_);
    const auto [it, added] = reason_ids_.try_emplace(std::move(reason), static_cast<uint32_t>(reasons_.size()));
    if (added) reasons_.push_back(&it->first);
    return it->second;
  }

  // The report's artifacts, once nothing but the report reads them. Takes
  // the files' paths.
  void write_artifacts(std::vector<model::File>& files) {
    report_.artifacts.reserve(report_.artifacts.size() + drafts_.size());
    // Files are in artifact order: the drafts were made in file order.
    for (model::File& file : files) {
      if (!file.has_artifact) continue;
      const ArtifactDraft& draft = draft_of(file);
      Artifact& artifact = report_.artifacts.emplace_back();
      if (file.path.empty()) artifact.path = text::printable(file.stored_name());
      else if (text::is_valid_utf8(file.path)) artifact.path = std::move(file.path);
      else artifact.path = text::to_valid_utf8(file.path);
      artifact.kind = file.kind;
      artifact.size = draft.size;
      artifact.parent = draft.parent;
      artifact.audited = file.audited;
      artifact.not_audited_reason = *reasons_[draft.reason];
    }
    drafts_ = std::vector<ArtifactDraft>();
  }

  // The text of a script or SQL file for its batch, or for another file's
  // session or `source`; rules on several workers may ask at once.
  std::shared_ptr<const std::string> read_again(const model::File& file) {
    const std::lock_guard lock(source_mutex_);
    source::EntryData data = source_.read_again(file.entry, draft_of(file).size);
    if (!data.error.empty() || data.truncated || text::sha256(data.bytes) != file.text_sha256) return nullptr;
    return std::make_shared<const std::string>(std::move(data.bytes));
  }

  // A script the run-time or parse-time limit stopped in its batch; runs on
  // a worker, which only touches this file and its own artifact.
  void not_audited(model::File& file, std::string limit, std::string why) {
    if (!limit.empty()) file.rare_to_write().limit = std::move(limit);
    file.audited = false;
    file.lines.reset();
    file.content.reset();
    draft_of(file).reason = reason_id(std::move(why));
  }

  void parse_in_batch(model::File& file) {
    const Limits& limits = options_.limits;
    if (!file.lines) file.lines = std::make_unique<text::LineIndex>(*file.content);
    if (std::chrono::steady_clock::now() > deadline_) {
      not_audited(file, fmt::format("[limits] run-seconds = {}", limits.run_seconds),
                  fmt::format("the whole-run limit of {} s was reached before this entry", limits.run_seconds));
      return;
    }
    if (file.kind == FileKind::sql) {
      file.sql = std::make_unique<sql::Script>(model::parse_sql_file(*file.content, options_.sql_dialect));
      return;
    }
    file.shell = std::make_unique<shell::ShellScript>(shell::parse_shell(*file.content, limits));
    if (file.shell->timed_out) {
      file.shell.reset();
      not_audited(file, fmt::format("[limits] parse-milliseconds = {}", limits.parse_milliseconds),
                  fmt::format("parsing took longer than the {} ms limit", limits.parse_milliseconds));
    }
  }

  // The rules run once per batch of scripts, then of SQL files, then once
  // for every other file (package.hpp), so that only one batch's models and
  // text are held at a time. Each run's findings are in registry order; runs are in batch
  // order, and the final sort makes the order of runs irrelevant, so the
  // output is the same for any batch size and any number of workers.
  void run_rules() {
    package_.read_again = [this](const model::File& file) { return read_again(file); };
    model::index_package(package_, known_units_);
    package_.ssh_aliases = model::ssh_aliases(package_);
    package_.signatures = model::check_signatures(package_, options_, {package_.display_name, package_.is_archive});
    summarise_signatures();
    for (const rules::Rule* rule : rules::registry()) {
      if (rule_selected(options_, rule->info.id)) report_.rules_run.emplace_back(rule->info.id);
    }
    for (const CustomRule& rule : options_.custom_rules) {
      if (!rule_selected(options_, rule.id)) continue;
      custom_.push_back(&rule);
      report_.rules_run.push_back(rule.id);
    }
    report_.custom_rules = options_.custom_rules;

    audit::WorkerPool pool(options_.jobs);
    report_.jobs = static_cast<uint32_t>(pool.threads());
    check_all(pool);
    // The merge needs nothing more of the package than the files' paths,
    // now the artifacts', and line 1's hash of each released file: the
    // rest (every file's record, units, indexes: tens of MiB at 50,000
    // files) goes before the findings are merged, the models before the
    // artifacts are written.
    const FirstLineHashes released = [this] {
      std::vector<model::File> files = std::move(package_.files);
      package_ = model::Package();
      FirstLineHashes hashes(files, report_.artifacts);  // before drop_models: it tells held files by their text
      drop_models(files);
      release_free_memory();  // before the artifacts are written: they would take new pages
      write_artifacts(files);
      return hashes;
    }();
    report_.findings = in_result_order(packed_, released, pool);
    packed_.clear();
    std::sort(report_.rules_run.begin(), report_.rules_run.end());
  }

  // Every batch, then the final run, then the rules that read suppressions:
  // their findings settled, in packed_.
  void check_all(audit::WorkerPool& pool) {
    model::SqlSessions sessions(package_, {options_.sql_dialect, options_.assume_locked});
    std::vector<model::ScriptView> final_views = std::move(package_.scripts);  // cron commands, Exec*= lines
    std::vector<bool> batched(package_.files.size());
    check_batches(FileKind::shell, batched, pool, sessions);
    release_free_memory();  // the scripts' models: the final run's are of other sizes
    // Every client of the database is known once the scripts are checked:
    // the sessions of cron commands and Exec*= lines, then the `.sql`
    // files nothing runs, then the `.sql` files themselves.
    sessions.add_sessions(final_views);
    sessions.add_standalone();
    check_batches(FileKind::sql, batched, pool, sessions);

    package_.final_run = true;
    package_.checked.clear();
    for (size_t i = 0; i < package_.files.size(); ++i) {
      if (!batched[i]) package_.checked.push_back(&package_.files[i]);
    }
    package_.scripts = std::move(final_views);
    check_run(pool, sessions);

    // Every run settled (suppressions and levels), then the rules that read
    // the suppressions: only as many runs' findings are records at once as
    // there are workers. The runs not yet packed are settled from their
    // records.
    // Suppressions apply centrally, after every rule; a reviewer turns them off.
    std::stable_sort(package_.suppressions.begin(), package_.suppressions.end(),
                     [](const model::Suppression& a, const model::Suppression& b) { return a.file < b.file; });
    std::optional<audit::Suppressions> suppressions;
    if (options_.inline_ignore) suppressions.emplace(package_.suppressions);
    std::vector<const model::File*> held;
    for (const model::File& file : package_.files) {
      if (file.content) held.push_back(&file);
    }
    const FilesByPath held_by_path = held_files(held);
    {
      // On the workers, the largest runs first (the last run, of every
      // file not in a batch, is often the largest): as many runs are
      // records at once as there are workers.
      std::vector<size_t> order(packed_.size());
      const auto size_of = [this](size_t k) { return k < packed_upto_ ? packed_[k].size() : found_[k].size(); };
      for (size_t k = 0; k < order.size(); ++k) order[k] = k;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return size_of(a) > size_of(b); });
      audit::Suppressions* const suppressing = suppressions ? &*suppressions : nullptr;
      const audit::WaitOnUnwind guard(pool);
      for (const size_t k : order) {
        pool.submit([&, k] {
          packed_[k] = settled(k < packed_upto_ ? unpacked(packed_[k]) : std::move(found_[k]), suppressing,
                               held_by_path);
        });
      }
      pool.wait();
    }
    found_.clear();
    std::vector<Finding> after;
    run_selected(pool, after, [](const rules::Rule& rule) { return rule.after_suppressions; }, [] {});
    packed_.push_back(settled(std::move(after), nullptr, held_by_path));
  }

  static void pack(std::vector<Finding>& run, FindingList& into) {
    into = FindingList(run);
    run = std::vector<Finding>();
  }

  static std::vector<Finding> unpacked(FindingList& run) {
    std::vector<Finding> findings(run.size());
    for (size_t i = 0; i < run.size(); ++i) detail::FindingListAccess::decode(run, i, findings[i]);
    run.clear();
    return findings;
  }

  // A run's findings suppressed, given their configured levels, their
  // paths made valid UTF-8 and the line hashes of held files taken, and
  // encoded in result order.
  FindingList settled(std::vector<Finding> findings, audit::Suppressions* suppressions,
                      const FilesByPath& held) const {
    if (suppressions) suppressions->apply(findings);
    // [rules.level]: "none" drops the rule's findings.
    std::erase_if(findings, [&](Finding& f) {
      const auto it = options_.levels.find(f.rule_id);
      if (it == options_.levels.end()) return false;
      f.level = it->second;
      return it->second == Level::none;
    });
    for (Finding& f : findings) f.location.path = text::to_valid_utf8(f.location.path);
    for (const auto& [file, some] : wanting_line_hashes(findings, held)) hash_lines_of(*file, some);
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding& a, const Finding& b) { return before_in_result(result_key(a), result_key(b)); });
    return FindingList(findings);
  }

  // The audited files of `kind` in batches of about [scan] batch-bytes of
  // text, in path order: each batch's findings then cover a range of paths
  // of their own, and the final merge reads the runs one after another
  // rather than one block of every run at once (entries are often stored
  // in no useful order: 330 runs held 10 MiB of blocks at 50,000 files).
  void check_batches(FileKind kind, std::vector<bool>& batched, audit::WorkerPool& pool,
                     model::SqlSessions& sessions) {
    std::vector<size_t> of_kind;
    for (size_t i = 0; i < package_.files.size(); ++i) {
      const model::File& file = package_.files[i];
      if (file.kind == kind && file.audited) of_kind.push_back(i);
    }
    std::stable_sort(of_kind.begin(), of_kind.end(),
                     [this](size_t a, size_t b) { return package_.files[a].path < package_.files[b].path; });
    std::vector<std::vector<model::File*>> batches(1);
    uint64_t bytes = 0;
    // A SQL file's model (its tokens and statements) is about four times a
    // script's for as much text: its batches are a quarter of the size, so
    // that a SQL batch is not the audit's peak (it was, by 8 MB, at 50,000
    // files). Scripts keep the whole size: smaller batches give the workers
    // less to share and cost 10% on two cores.
    const uint64_t budget = kind == FileKind::sql ? std::max<uint64_t>(options_.batch_bytes / 4, 1) : options_.batch_bytes;
    for (const size_t i : of_kind) {
      model::File& file = package_.files[i];
      batched[i] = true;
      batches.back().push_back(&file);
      bytes += draft_of(file).size;
      if (bytes >= budget) {
        batches.emplace_back();
        bytes = 0;
      }
    }
    if (batches.back().empty()) batches.pop_back();
    // This thread reads the next batch while the workers parse the current
    // one: reading (inflate, SHA-256) is not left between the batches as
    // time the workers wait.
    if (!batches.empty()) read_batch(batches[0]);
    for (size_t b = 0; b < batches.size(); ++b) {
      check_batch(batches[b], pool, sessions, b + 1 < batches.size() ? &batches[b + 1] : nullptr);
    }
    pool.wait();  // the last batch's models are freed before anything reads the package whole
  }

  // Each file's text, read again from the package.
  void read_batch(const std::vector<model::File*>& batch) {
    for (model::File* file : batch) {
      if (file->content) continue;
      file->content = package_.text_of(*file);
      if (!file->content) {
        file->rare_to_write().structure_problem = "its bytes changed between two readings of the package";
        not_audited(*file, "", "its bytes changed between two readings of the package (see PA102)");
      }
    }
  }

  // Parses a batch (read already) side by side, reads the next one
  // meanwhile, checks this one, takes the line hashes of its findings, and
  // releases its models and text.
  void check_batch(const std::vector<model::File*>& batch, audit::WorkerPool& pool, model::SqlSessions& sessions,
                   const std::vector<model::File*>* next) {
    // Largest first: a 2,000-line script handed out last would leave the
    // other workers idle until it is parsed.
    std::vector<model::File*> order(batch.begin(), batch.end());
    std::stable_sort(order.begin(), order.end(), [](const model::File* a, const model::File* b) {
      return (a->content ? a->content->size() : 0) > (b->content ? b->content->size() : 0);
    });
    for (model::File* file : order) {
      if (file->audited) pool.submit([this, file] { parse_in_batch(*file); });
    }
    if (next) read_batch(*next);
    pool.wait();
    // The runs before this batch's are complete, their line hashes taken:
    // packed on the workers while this batch's rules run.
    for (; packed_upto_ < found_.size(); ++packed_upto_) {
      pool.submit([run = &found_[packed_upto_], into = &packed_[packed_upto_]] { pack(*run, *into); });
    }
    package_.final_run = false;
    package_.checked.assign(batch.begin(), batch.end());
    package_.scripts.clear();
    for (model::File* file : batch) {
      if (file->shell) package_.scripts.push_back({file, &*file->shell, ""});
    }
    check_run(pool, sessions, &package_.scripts);
    package_.scripts.clear();
    // Files with inline suppressions keep their text: PA001 and the
    // suppression pass read their lines at the end.
    std::set<const model::File*> suppressing;
    for (const model::Suppression& s : package_.suppressions) suppressing.insert(s.file);
    // The line hashes of the batch's findings, then freeing its models and
    // text (a tenth of a second each at 10,000 files), run on the workers
    // while the next batch parses, not on this thread or behind a wait of
    // their own. Nothing reads these files' models again, and this run's
    // findings are next touched after the next batch's wait.
    std::map<const model::File*, std::vector<Finding*>> wanted =
        wanting_line_hashes(found_.back(), held_files(std::vector<const model::File*>(batch.begin(), batch.end())));
    struct Done {
      model::File* file;
      bool text_too;
      std::vector<Finding*> hash;
    };
    constexpr size_t kGroup = 16;
    std::vector<Done> group;
    for (size_t i = 0; i < batch.size(); ++i) {
      model::File* file = batch[i];
      const auto it = wanted.find(file);
      group.push_back({file, file->entry != model::File::kNoEntry && !suppressing.contains(file),
                       it == wanted.end() ? std::vector<Finding*>{} : std::move(it->second)});
      if (group.size() < kGroup && i + 1 < batch.size()) continue;
      pool.submit([group = std::move(group)] {
        for (const Done& done : group) {
          if (!done.hash.empty()) hash_lines_of(*done.file, done.hash);
          done.file->shell.reset();
          done.file->sql.reset();
          if (done.text_too) {
            done.file->lines.reset();
            done.file->content.reset();
          }
        }
      });
      group.clear();
    }
  }

  // One run of the rules over package.checked and package.scripts. The SQL
  // sessions of `clients` are found on this thread meanwhile (a tenth of a
  // second at 10,000 files), while the rules that do not read them run.
  void check_run(audit::WorkerPool& pool, model::SqlSessions& sessions,
                 const std::vector<model::ScriptView>* clients = nullptr) {
    std::vector<Finding>& findings = found_.emplace_back();
    packed_.emplace_back();
    const bool final_run = package_.final_run;
    const auto which = [final_run](const rules::Rule& rule) {
      return !rule.after_suppressions && (final_run || !rule.whole_package);
    };
    run_selected(pool, findings, which, [&] {
      if (clients) sessions.add_sessions(*clients);
      sessions.hand_out();
    });
    rules::run_custom_rules(package_, custom_, findings);
    if (options_.inline_ignore) {
      std::vector<model::Suppression> found = audit::find_suppressions(package_);
      std::move(found.begin(), found.end(), std::back_inserter(package_.suppressions));
    }
  }

  // Rules only read the model, so they run side by side on the pool, each
  // into its own list; the lists join in registry order, so the output is
  // the same for any number of workers. `sessions` runs on this thread once
  // the rules marked before_sessions are handed out, before the others are.
  template <typename Which, typename Sessions>
  void run_selected(audit::WorkerPool& pool, std::vector<Finding>& findings, Which which, Sessions sessions) {
    std::vector<const rules::Rule*> selected;
    for (const rules::Rule* rule : rules::registry()) {
      if (which(*rule) && rule_selected(options_, rule->info.id)) selected.push_back(rule);
    }
    std::vector<std::vector<Finding>> found(selected.size());
    const audit::WaitOnUnwind guard(pool);  // the rules handed out use `found`: they finish first
    const auto submit = [&](bool before_sessions) {
      for (size_t i = 0; i < selected.size(); ++i) {
        if (selected[i]->before_sessions != before_sessions) continue;
        pool.submit([&, i] {
          rules::FindingSink sink(selected[i]->info, package_, found[i]);
          selected[i]->check(package_, sink);
        });
      }
    };
    submit(true);
    sessions();
    submit(false);
    pool.wait();
    for (std::vector<Finding>& some : found) std::move(some.begin(), some.end(), std::back_inserter(findings));
  }

  // For reviewers: form, signer, chain as verified, trust, coverage. Entry
  // names and certificate subjects come from the package: made valid UTF-8,
  // as every other name in the report is.
  void summarise_signatures() {
    using text::to_valid_utf8;
    for (const model::SignatureCheck& c : package_.signatures) {
      SigningSummary s;
      s.form = to_valid_utf8(c.form_name);
      s.signature = to_valid_utf8(c.name);
      s.verified = c.verified;
      s.trusted = c.chain_trusted;
      if (c.has_signer) {
        s.signer = to_valid_utf8(c.signer.subject);
        s.fingerprint = c.signer.sha256;
      }
      for (const model::CertificateInfo& cert : c.chain) {
        s.chain.push_back(to_valid_utf8(cert.subject + " <- " + cert.issuer));
      }
      s.covered = c.covered;
      for (const model::File* f : c.unsigned_entries) s.not_covered.push_back(to_valid_utf8(f->path));
      report_.signing.push_back(std::move(s));
    }
  }

  source::PackageSource& source_;
  const Options& options_;
  std::vector<std::string> known_units_;
  std::vector<const CustomRule*> custom_;
  // Each run's findings; those before packed_upto_ are held packed. Deques:
  // the workers packing a run hold it while later runs are added.
  std::deque<std::vector<Finding>> found_;
  std::deque<FindingList> packed_;
  size_t packed_upto_ = 0;
  std::mutex source_mutex_;
  std::chrono::steady_clock::time_point deadline_;
  model::Package package_;
  Report report_;
  // What the report will say of each artifact but the package root, kept
  // small until the package goes (write_artifacts): as Artifact records,
  // each with a copy of its file's path and a reason of its own, they were
  // 5 MB of the heap's peak at 50,000 files. drafts_[i] is artifact
  // first_draft_ + i.
  std::vector<ArtifactDraft> drafts_;
  size_t first_draft_ = 0;
  // Reasons for not auditing, each held once: "binary content is not
  // inspected" stands for thousands of entries. reason_ids_ gives "" 0.
  std::mutex reasons_mutex_;
  std::map<std::string, uint32_t, std::less<>> reason_ids_;
  std::vector<const std::string*> reasons_;
  uint32_t binary_reason_ = 0;  // the most common, found without the lock
};

// The target inventory: names given directly, and files holding one unit a
// line or `systemctl list-unit-files` output (header, footer, states).
Result<std::vector<std::string>> load_inventory(const Options& options) {
  std::vector<std::string> units = options.known_units;
  for (const std::string& path : options.units_files) {
    std::ifstream in(path);
    if (!in) return Error{ErrorCode::io, fmt::format("{}: cannot read the units file: {}", path, std::strerror(errno))};
    std::string line;
    while (std::getline(in, line)) {
      size_t b = line.find_first_not_of(" \t");
      if (b == std::string::npos) continue;
      // `systemctl list-units` marks failed units with a bullet.
      if (line.compare(b, 3, "\u25cf") == 0) b = line.find_first_not_of(" \t", b + 3);
      if (b == std::string::npos || line[b] == '#') continue;
      const size_t e = line.find_first_of(" \t", b);
      const std::string name = line.substr(b, e == std::string::npos ? std::string::npos : e - b);
      if (name.find('.') == std::string::npos || name == "UNIT") continue;
      if (unit::with_default_suffix(name) != name) continue;  // not a unit name (footer text)
      units.push_back(name);
    }
  }
  return units;
}

Result<Report> run_guarded(source::PackageSource& source, const std::string& name, const Options& options) {
  try {
    auto inventory = load_inventory(options);
    if (!inventory) return inventory.error();
    Pipeline pipeline(source, name, options);
    pipeline.set_known_units(std::move(inventory).value());
    return pipeline.run();
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::internal, fmt::format("{}: out of memory while auditing", name)};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, fmt::format("{}: internal error: {}", name, e.what())};
  }
}

}  // namespace

Result<Report> audit_path(const std::string& path, const Options& options) {
  try {
    auto source = source::open_package(path, options.limits);
    if (!source) return source.error();
    return run_guarded(*source.value(), path, options);
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::internal, fmt::format("{}: out of memory while auditing", path)};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, fmt::format("{}: internal error: {}", path, e.what())};
  }
}

Result<Report> audit_zip_bytes(std::string_view zip_bytes, const std::string& display_name, const Options& options) {
  try {
    auto source = source::open_zip_bytes(std::string(zip_bytes), display_name);
    if (!source) return source.error();
    return run_guarded(*source.value(), display_name, options);
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::internal, fmt::format("{}: out of memory while auditing", display_name)};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, fmt::format("{}: internal error: {}", display_name, e.what())};
  }
}

}  // namespace pkgaudit
