// Formatting a report's findings on several threads, written in order (or
// counted: anything done to every finding and gathered in order): at
// 10,000 files the text report takes a tenth of a second on one thread,
// time the other cores of a two-core CI runner would spend idle after the
// audit. Each thread formats whole chunks of findings; this thread writes
// them as they come due and formats chunks itself meanwhile. At most
// `2 * jobs` chunks wait to be written, so the report is never held whole.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "pkgaudit/finding_list.hpp"
#include "report/finding_list_access.hpp"

namespace pkgaudit::report {

// Calls format(begin, end, chunk) for [0, count) in pieces of `per_chunk`
// and write(chunk) for each, in order, on this thread. `format` runs on up
// to `jobs` threads at once (this one among them) and must only read what
// they share; what a chunk needs from the ones before it, `write` settles.
// The first exception `format` or `write` throws is thrown here, once every
// thread is done.
template <typename Chunk, typename Format, typename Write>
void format_in_order(size_t count, size_t per_chunk, unsigned jobs, Format format, Write write) {
  const size_t chunks = per_chunk == 0 ? 0 : (count + per_chunk - 1) / per_chunk;
  const auto range = [&](size_t k, Chunk& chunk) { format(k * per_chunk, std::min(count, (k + 1) * per_chunk), chunk); };
  if (jobs <= 1 || chunks <= 1) {
    for (size_t k = 0; k < chunks; ++k) {
      Chunk chunk{};
      range(k, chunk);
      write(chunk);
    }
    return;
  }
  const size_t window = 2 * static_cast<size_t>(jobs);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<Chunk>> ready(window);  // chunk k at k % window
  size_t next = 0;     // the first chunk no thread has taken
  size_t written = 0;  // chunks written
  std::exception_ptr error;
  const auto can_take = [&] { return next < chunks && next < written + window; };
  // Formats chunk k and files it; false once any thread has failed.
  const auto take = [&](std::unique_lock<std::mutex>& lock) {
    const size_t k = next++;
    lock.unlock();
    Chunk chunk{};
    try {
      range(k, chunk);
    } catch (...) {
      lock.lock();
      if (!error) error = std::current_exception();
      changed.notify_all();
      return false;
    }
    lock.lock();
    ready[k % window].emplace(std::move(chunk));
    changed.notify_all();
    return true;
  };
  std::vector<std::thread> helpers;
  const auto help = [&] {
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock, [&] { return error || next >= chunks || can_take(); });
      if (error || next >= chunks || !take(lock)) return;
    }
  };
  try {
    for (unsigned i = 1; i < jobs && i < chunks; ++i) helpers.emplace_back(help);
  } catch (...) {
    // No thread to be had: what started helps, this thread does the rest.
  }
  {
    std::unique_lock lock(mutex);
    while (written < chunks && !error) {
      if (std::optional<Chunk>& due = ready[written % window]) {
        Chunk chunk = std::move(*due);
        due.reset();
        ++written;
        changed.notify_all();
        lock.unlock();
        try {
          write(chunk);
        } catch (...) {
          lock.lock();
          if (!error) error = std::current_exception();
          changed.notify_all();
          break;
        }
        lock.lock();
      } else if (can_take()) {
        take(lock);
      } else {
        changed.wait(lock);
      }
    }
  }
  for (std::thread& t : helpers) t.join();
  if (error) std::rethrow_exception(error);
}

// format_in_order over the first `count` findings of `list`, decoded in
// turn: one(finding, chunk) for each.
template <typename Chunk, typename One, typename Write>
void findings_in_order(const FindingList& list, size_t count, size_t per_chunk, unsigned jobs, One one, Write write) {
  format_in_order<Chunk>(
      count, per_chunk, jobs,
      [&](size_t begin, size_t end, Chunk& chunk) {
        Finding f;
        for (size_t i = begin; i < end; ++i) {
          detail::FindingListAccess::decode(list, i, f);
          one(f, chunk);
        }
      },
      write);
}

}  // namespace pkgaudit::report
