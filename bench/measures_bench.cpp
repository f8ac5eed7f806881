// Efficiency and betweenness centralisation of generated cell networks (bench/large.toml scaled
// up): exact, and sampled on one core and on two, what one time-series sample of a changed
// network costs (docs/performance.md "Network measures at every size").
#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "core/RandomStreams.hpp"
#include "core/Simulation.hpp"
#include "graph/SampledMeasures.hpp"
#include "graph/Structure.hpp"
#include "model/TraffickingModel.hpp"
#include "scenario/Scenario.hpp"

using namespace interdict;

namespace {

struct CellNetwork {
  graph::Graph graph;
  graph::NodeMask operating;
};

/// The true cell network of bench/large.toml with `cells` cells: places cells / 5 (at most
/// 20,000, about the most the generator's step limit allows), vessels cells / 10, relays and
/// patrols places / 10. Built once per size.
const CellNetwork& cell_network(std::size_t cells) {
  static std::map<std::size_t, CellNetwork> built;
  if (const auto it = built.find(cells); it != built.end()) return it->second;
  const std::size_t places = std::min<std::size_t>(cells / 5, 20000);
  const auto set = [](const char* key, std::size_t value) {
    return std::string(key) + "=" + std::to_string(value);
  };
  const scenario::Scenario s = scenario::load_scenario(
      INTERDICT_SOURCE_DIR "/bench/large.toml",
      {set("generate.places", places), set("generate.cells", cells),
       set("generate.vessels", cells / 10), set("generate.relays", places / 10),
       set("generate.patrols", places / 10)});
  Simulation sim;
  MemoryRecorder recorder;
  const model::TraffickingModel model(s.model, sim, RandomStreams(s.seed, 0), recorder);
  const model::Intelligence& intelligence = model.intelligence();
  return built.emplace(cells, CellNetwork{intelligence.cell_graph(), intelligence.operating()})
      .first->second;
}

/// Arguments: cells, threads, error in thousandths.
void BM_SampledCellMeasures(benchmark::State& state) {
  const CellNetwork& network = cell_network(static_cast<std::size_t>(state.range(0)));
  graph::SamplingOptions options;
  options.threads = static_cast<unsigned>(state.range(1));
  options.error = static_cast<double>(state.range(2)) / 1000.0;
  graph::SampledMeasures s;
  for (auto _ : state) {
    s = graph::sample_measures(network.graph, network.operating, options);
    ++options.seed;  // another sample each time, as a changed network would get
  }
  state.counters["pairs"] = static_cast<double>(s.pairs);
  state.counters["VD"] = static_cast<double>(s.vertex_diameter);
  state.counters["eff_error"] = s.efficiency_error;
  state.counters["bc_error"] = s.betweenness_centralisation_error;
}
BENCHMARK(BM_SampledCellMeasures)
    ->ArgsProduct({{10000, 100000, 1000000}, {1, 2}, {50}})
    ->ArgsProduct({{10000, 100000}, {1, 2}, {20, 10}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// The exact measures, a search from every cell: what output.exact_measure_limit = 10000 costs.
void BM_ExactCellMeasures(benchmark::State& state) {
  const CellNetwork& network = cell_network(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(graph::global_efficiency(network.graph, network.operating));
    benchmark::DoNotOptimize(graph::betweenness_centralisation(network.graph, network.operating));
  }
}
BENCHMARK(BM_ExactCellMeasures)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
