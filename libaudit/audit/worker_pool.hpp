// A small fixed pool of threads for per-file work (classify, parse). Tasks
// always run on the pool's threads, even with one job: their stacks are
// large (kStackBytes), because tree-sitter's runtime recurses in places
// (comparing subtrees while resolving ambiguities) and hostile scripts nest
// as deep as the parse limits let them; a caller's thread (a Python
// thread, a small embedder thread) may have far less.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <pthread.h>

#include <thread>
#include <utility>
#include <vector>

namespace pkgaudit::audit {

class WorkerPool {
 public:
  // jobs == 0: one worker per core.
  explicit WorkerPool(uint32_t jobs);
  static constexpr size_t kStackBytes = 64u << 20;  // address space reserved; pages used on demand
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> task);
  // Blocks while more than `queued` tasks wait to start: a producer that
  // reads faster than the workers parse holds no more than that many
  // tasks' data at once.
  void wait_for_room(size_t queued);
  size_t threads() const { return threads_.size(); }
  // Waits for every task; rethrows the first exception a task threw.
  void wait();
  // Waits for every task and drops what they threw: for a caller already
  // unwinding with an exception of its own.
  void wait_quietly() noexcept;

 private:
  void work();
  static void* start(void* pool);
  std::vector<pthread_t> threads_;
  std::deque<std::function<void()>> queue_;
  std::mutex mutex_;
  std::condition_variable has_work_;
  std::condition_variable idle_;
  std::condition_variable room_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

// Declared after the locals that tasks submitted in its scope use: should
// the submitting thread throw before it waits for them (an allocation
// failing), the tasks finish before those locals go.
class WaitOnUnwind {
 public:
  explicit WaitOnUnwind(WorkerPool& pool) : pool_(pool), exceptions_(std::uncaught_exceptions()) {}
  ~WaitOnUnwind() {
    if (std::uncaught_exceptions() > exceptions_) pool_.wait_quietly();
  }
  WaitOnUnwind(const WaitOnUnwind&) = delete;
  WaitOnUnwind& operator=(const WaitOnUnwind&) = delete;

 private:
  WorkerPool& pool_;
  int exceptions_;
};

}  // namespace pkgaudit::audit
