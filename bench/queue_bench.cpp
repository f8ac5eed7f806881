// queue_bench: push/pop cost of the event queues under the classic "hold" model.
#include <benchmark/benchmark.h>

#include <boost/random/exponential_distribution.hpp>

#include "core/CalendarQueue.hpp"
#include "core/HeapQueue.hpp"
#include "core/RandomStreams.hpp"

namespace {

using namespace interdict;

// Hold model: keep `size` events pending; each step pops the first and pushes one at
// t + 0.1 + Exp(0.9), the PHOLD increment.
template <class Queue>
void BM_Hold(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  RandomEngine rng = RandomStreams(1, 0).stream("hold");
  boost::random::exponential_distribution<double> delay(1.0 / 0.9);
  Queue queue;
  std::uint64_t sequence = 0;
  for (std::size_t i = 0; i < size; ++i)
    queue.push(Event{SimTime::days(0.1 + delay(rng)), sequence++, HandlerId{0}, 0, 0});
  // Warm up past the first rebuilds, so the loop measures the steady state.
  for (std::size_t i = 0; i < 2 * size; ++i) {
    const Event e = queue.pop();
    queue.push(Event{e.time + SimTime::days(0.1 + delay(rng)), sequence++, HandlerId{0}, 0, 0});
  }
  for (auto _ : state) {
    const Event e = queue.pop();
    queue.push(Event{e.time + SimTime::days(0.1 + delay(rng)), sequence++, HandlerId{0}, 0, 0});
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_TEMPLATE(BM_Hold, HeapQueue)->RangeMultiplier(16)->Range(1 << 8, 1 << 20);
BENCHMARK_TEMPLATE(BM_Hold, CalendarQueue)->RangeMultiplier(16)->Range(1 << 8, 1 << 20);

}  // namespace

BENCHMARK_MAIN();
