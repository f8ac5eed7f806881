// NetworkMeasures: one pass of each whole-network measure, sampled where exact ones cost too
// much.
#include "model/NetworkMeasures.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/RandomStreams.hpp"
#include "graph/SampledMeasures.hpp"
#include "graph/Structure.hpp"

namespace interdict::model {

bool NetworkMeasurer::exact_is_cheaper(const graph::Graph& g, const graph::NodeMask& mask,
                                       std::size_t n) const {
  const auto sample_costs_more = [&](std::size_t vertex_diameter) {
    return n * n <=
           graph::required_pairs(n, vertex_diameter, spec_.measure_error, kMeasureConfidence);
  };
  // The vertex diameter bound is below 2 n: a pass over the network only for small ones.
  return sample_costs_more(2 * n) && sample_costs_more(graph::vertex_diameter_bound(g, mask));
}

std::array<double, 8> NetworkMeasurer::measure(const graph::Graph& g, const graph::NodeMask& mask) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  using Level = ModelSpec::NetworkMeasures;
  if (spec_.network_measures == Level::none) {
    std::array<double, 8> nan;
    nan.fill(kNaN);
    return nan;
  }
  const std::size_t n = graph::active_count(g, mask);
  const auto sizes = graph::component_sizes(g, mask);
  const auto ties = static_cast<double>(graph::active_ties(g, mask));
  const auto nodes = static_cast<double>(n);
  std::pair<double, double> costly{kNaN, kNaN};  // efficiency, betweenness centralisation
  if (spec_.network_measures == Level::all &&
      (n <= spec_.exact_measure_limit || exact_is_cheaper(g, mask, n))) {
    costly = {graph::global_efficiency(g, mask), graph::betweenness_centralisation(g, mask)};
    ++record_.exact;
  } else if (spec_.network_measures == Level::all) {
    graph::SamplingOptions options;
    options.error = spec_.measure_error;
    options.confidence = kMeasureConfidence;
    options.seed = mix64(seed_ ^ graph::network_fingerprint(g, mask));
    options.threads = threads_;
    const graph::SampledMeasures s = graph::sample_measures(g, mask, options);
    costly = {s.efficiency, s.betweenness_centralisation};
    ++record_.sampled;
    record_.largest_sample = std::max<std::uint64_t>(record_.largest_sample, s.pairs);
    record_.efficiency_error = std::max(record_.efficiency_error, s.efficiency_error);
    record_.betweenness_centralisation_error =
        std::max(record_.betweenness_centralisation_error, s.betweenness_centralisation_error);
  }
  return {nodes,
          ties,
          static_cast<double>(sizes.size()),
          sizes.empty() ? 0.0 : static_cast<double>(sizes.front()),
          n < 2 ? 0.0 : ties / (nodes * (nodes - 1) / 2),  // the cell network is undirected
          costly.first,
          graph::degree_centralisation(g, mask),
          costly.second};
}

}  // namespace interdict::model
