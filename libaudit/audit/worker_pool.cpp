#include "audit/worker_pool.hpp"

#include <algorithm>

namespace pkgaudit::audit {

WorkerPool::WorkerPool(uint32_t jobs) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kStackBytes);
  for (uint32_t i = 0; i < jobs; ++i) {
    pthread_t thread;
    if (pthread_create(&thread, &attr, &WorkerPool::start, this) != 0) break;
    threads_.push_back(thread);
  }
  pthread_attr_destroy(&attr);
  // Not even one thread (resource limits): tasks run inline in submit().
}

void* WorkerPool::start(void* pool) {
  static_cast<WorkerPool*>(pool)->work();
  return nullptr;
}

WorkerPool::~WorkerPool() {
  {
    // Unwinding (a task or the producer threw): queued tasks are dropped,
    // running ones finish.
    std::lock_guard lock(mutex_);
    queue_.clear();
    stopping_ = true;
  }
  has_work_.notify_all();
  for (pthread_t t : threads_) pthread_join(t, nullptr);
}

void WorkerPool::submit(std::function<void()> task) {
  if (threads_.empty()) {
    try {
      task();
    } catch (...) {
      if (!error_) error_ = std::current_exception();
    }
    return;
  }
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
  }
  has_work_.notify_one();
}

void WorkerPool::wait_for_room(size_t queued) {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [&] { return queue_.size() <= queued || stopping_; });
}

void WorkerPool::wait() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void WorkerPool::wait_quietly() noexcept {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
  error_ = nullptr;
}

void WorkerPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      has_work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    room_.notify_one();
    try {
      task();
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      --running_;
      if (queue_.empty() && running_ == 0) idle_.notify_all();
    }
  }
}

}  // namespace pkgaudit::audit
