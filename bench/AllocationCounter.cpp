// AllocationCounter: replaces the global operator new/delete with counting versions.
#include "AllocationCounter.hpp"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::uint64_t> g_live_bytes{0};
std::atomic<std::uint64_t> g_peak_bytes{0};

void count_allocation(void* p) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  const std::uint64_t live =
      g_live_bytes.fetch_add(malloc_usable_size(p), std::memory_order_relaxed) +
      malloc_usable_size(p);
  std::uint64_t peak = g_peak_bytes.load(std::memory_order_relaxed);
  while (live > peak &&
         !g_peak_bytes.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
}

void count_free(void* p) {
  if (p != nullptr) g_live_bytes.fetch_sub(malloc_usable_size(p), std::memory_order_relaxed);
}

}  // namespace

std::uint64_t interdict::bench::allocations_so_far() {
  return g_allocations.load(std::memory_order_relaxed);
}

std::uint64_t interdict::bench::live_heap_bytes() {
  return g_live_bytes.load(std::memory_order_relaxed);
}

std::uint64_t interdict::bench::peak_heap_bytes() {
  return g_peak_bytes.load(std::memory_order_relaxed);
}

void interdict::bench::reset_peak_heap_bytes() {
  g_peak_bytes.store(g_live_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

void* operator new(std::size_t size) {
  if (void* p = std::malloc(size == 0 ? 1 : size)) {
    count_allocation(p);
    return p;
  }
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  count_free(p);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  count_free(p);
  std::free(p);
}
