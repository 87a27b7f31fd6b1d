// Replaces the global operator new for the C API test: once armed, the
// Nth allocation throws std::bad_alloc, as a real out-of-memory would, so
// the test can check that an internal failure comes back as an error code.
#include <cstdlib>
#include <new>

#include "fail_alloc.h"

namespace {
long g_countdown = -1;  // -1: never fail
}

extern "C" void fail_allocation_number(long n) { g_countdown = n; }

void* operator new(std::size_t size) {
  if (g_countdown > 0 && --g_countdown == 0) {
    g_countdown = -1;  // one failure: the error path itself may allocate
    throw std::bad_alloc();
  }
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
