// AllocationCounter: counts heap allocations and live heap bytes made through operator new.
#pragma once

#include <cstdint>

namespace interdict::bench {

/// Number of calls to operator new so far (linking AllocationCounter.cpp replaces it).
std::uint64_t allocations_so_far();

/// Bytes allocated through operator new and not yet freed, as malloc_usable_size counts them
/// (so a vector's unused capacity counts, whether or not its pages were touched).
std::uint64_t live_heap_bytes();

/// The most live_heap_bytes() has been since the last reset_peak_heap_bytes().
std::uint64_t peak_heap_bytes();

/// Starts a new peak from the bytes live now.
void reset_peak_heap_bytes();

}  // namespace interdict::bench
