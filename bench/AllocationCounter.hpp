// AllocationCounter: counts heap allocations made through operator new in this process.
#pragma once

#include <cstdint>

namespace interdict::bench {

/// Number of calls to operator new so far (linking AllocationCounter.cpp replaces it).
std::uint64_t allocations_so_far();

}  // namespace interdict::bench
