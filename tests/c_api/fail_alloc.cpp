// Replaces the global operator new for the C API test: once armed, the
// Nth allocation throws std::bad_alloc, as a real out-of-memory would, so
// the test can check that an internal failure comes back as an error code.
// Every form of new and delete is replaced, so that all of them pair up
// (the sanitizer build checks that they do).
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

#include "fail_alloc.h"

namespace {

// Atomic: the library allocates on its worker threads too.
std::atomic<long> g_countdown{-1};  // -1: never fail

bool should_fail() {
  long n = g_countdown.load(std::memory_order_relaxed);
  while (n > 0) {
    // One failure, then none: the error path itself may allocate.
    if (g_countdown.compare_exchange_weak(n, n == 1 ? -1 : n - 1, std::memory_order_relaxed)) return n == 1;
  }
  return false;
}

void* allocate(std::size_t size, std::size_t alignment) {
  if (should_fail()) return nullptr;
  if (size == 0) size = 1;
  if (alignment <= alignof(std::max_align_t)) return std::malloc(size);
  return std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
}

void* allocate_or_throw(std::size_t size, std::size_t alignment) {
  if (void* p = allocate(size, alignment)) return p;
  throw std::bad_alloc();
}

}  // namespace

extern "C" void fail_allocation_number(long n) { g_countdown.store(n, std::memory_order_relaxed); }

void* operator new(std::size_t n) { return allocate_or_throw(n, 0); }
void* operator new[](std::size_t n) { return allocate_or_throw(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return allocate_or_throw(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocate_or_throw(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
