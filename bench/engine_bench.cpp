// engine_bench: PHOLD workloads W1 and W2 through the whole engine (queue, dispatch, RNG),
// with the number of heap allocations per event.
#include <benchmark/benchmark.h>

#include "AllocationCounter.hpp"
#include "Phold.hpp"

namespace {

using interdict::bench::PholdConfig;

void BM_Phold(benchmark::State& state, PholdConfig config) {
  std::uint64_t events = 0;
  std::uint64_t allocations = 0;
  for (auto _ : state) {
    const std::uint64_t before = interdict::bench::allocations_so_far();
    events += interdict::bench::run_phold(config);
    allocations += interdict::bench::allocations_so_far() - before;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["events_per_run"] =
      static_cast<double>(events) / static_cast<double>(state.iterations());
  state.counters["allocs_per_event"] =
      static_cast<double>(allocations) / static_cast<double>(events);
  state.counters["allocs_per_run"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations());
}

BENCHMARK_CAPTURE(BM_Phold, W1_1024lps_end500, PholdConfig{})
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_Phold, W2_65536lps_end10, PholdConfig{.lps = 65536, .end = 10.0})
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
// W1 where one event in ten cancels an event that has already run.
BENCHMARK_CAPTURE(BM_Phold, W1_cancel_handled_10pct, PholdConfig{.cancel_handled = 0.1})
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
