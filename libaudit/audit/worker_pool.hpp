// A small fixed pool of threads for per-file work (classify, parse). With
// one job, tasks run inline: no thread, the same order, the same result.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace pkgaudit::audit {

class WorkerPool {
 public:
  // jobs == 0: one worker per core.
  explicit WorkerPool(uint32_t jobs);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> task);
  // Waits for every task; rethrows the first exception a task threw.
  void wait();

 private:
  void work();
  std::vector<std::thread> threads_;
  std::deque<std::function<void()>> queue_;
  std::mutex mutex_;
  std::condition_variable has_work_;
  std::condition_variable idle_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace pkgaudit::audit
