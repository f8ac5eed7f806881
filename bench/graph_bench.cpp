// Network measures on random graphs of criminal-network size and larger: what a time series
// sample, an intervention and `interdict network` cost.
#include <benchmark/benchmark.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <vector>

#include "graph/Centrality.hpp"
#include "graph/SampledMeasures.hpp"
#include "graph/Structure.hpp"
#include "graph/Targeting.hpp"

using namespace interdict::graph;

namespace {

/// n nodes, mean degree k: a ring (so it is connected) plus random ties.
Graph random_graph(std::size_t n, std::size_t k) {
  boost::random::mt19937_64 rng(42);
  boost::random::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<Tie> ties;
  for (std::size_t v = 0; v < n; ++v)
    ties.push_back({v, (v + 1) % n, 1.0});
  for (std::size_t i = 0; i < n * (k - 2) / 2; ++i)
    ties.push_back({pick(rng), pick(rng), 1.0});
  return Graph(n, ties, false);
}

void BM_Betweenness(benchmark::State& state) {
  const Graph g = random_graph(static_cast<std::size_t>(state.range(0)), 6);
  for (auto _ : state)
    benchmark::DoNotOptimize(betweenness_centrality(g));
  state.counters["nodes"] = static_cast<double>(g.size());
}
BENCHMARK(BM_Betweenness)->Arg(110)->Arg(1000)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_Eigenvector(benchmark::State& state) {
  const Graph g = random_graph(static_cast<std::size_t>(state.range(0)), 6);
  for (auto _ : state)
    benchmark::DoNotOptimize(eigenvector_centrality(g));
}
BENCHMARK(BM_Eigenvector)->Arg(110)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Katz(benchmark::State& state) {
  const Graph g = random_graph(static_cast<std::size_t>(state.range(0)), 6);
  for (auto _ : state)
    benchmark::DoNotOptimize(katz_centrality(g));
}
BENCHMARK(BM_Katz)->Arg(110)->Arg(10000)->Unit(benchmark::kMillisecond);

/// The per-sample summary with and without the all-pairs measures.
void BM_Summary(benchmark::State& state) {
  const Graph g = random_graph(static_cast<std::size_t>(state.range(0)), 6);
  for (auto _ : state)
    benchmark::DoNotOptimize(summarise(g));
}
BENCHMARK(BM_Summary)->Arg(110)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_BasicMeasures(benchmark::State& state) {
  const Graph g = random_graph(static_cast<std::size_t>(state.range(0)), 6);
  for (auto _ : state) {
    benchmark::DoNotOptimize(component_sizes(g));
    benchmark::DoNotOptimize(active_ties(g));
    benchmark::DoNotOptimize(degree_centralisation(g));
  }
}
BENCHMARK(BM_BasicMeasures)->Arg(10000)->Unit(benchmark::kMillisecond);

/// Efficiency and betweenness centralisation sampled within 0.05 (the default of
/// output.measure_error) on one core: what a sample costs above output.exact_measure_limit.
void BM_SampledMeasures(benchmark::State& state) {
  const Graph g = random_graph(static_cast<std::size_t>(state.range(0)), 6);
  SamplingOptions options;
  for (auto _ : state) {
    benchmark::DoNotOptimize(sample_measures(g, {}, options));
    ++options.seed;
  }
}
BENCHMARK(BM_SampledMeasures)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

/// Ten greedy key-player removals (each tries every node).
void BM_KeyPlayer(benchmark::State& state) {
  const Graph g = random_graph(static_cast<std::size_t>(state.range(0)), 4);
  TargetingOptions o;
  o.strategy = Strategy::key_player;
  o.recompute = true;
  for (auto _ : state)
    benchmark::DoNotOptimize(choose_targets(g, {}, {}, 10, o));
}
BENCHMARK(BM_KeyPlayer)->Arg(110)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
