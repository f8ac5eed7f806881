// NetworkMeasures: one pass of each whole-network measure.
#include "model/NetworkMeasures.hpp"

#include <limits>

#include "graph/Structure.hpp"

namespace interdict::model {

std::array<double, 8> network_measures(const graph::Graph& g, const graph::NodeMask& mask,
                                       ModelSpec::NetworkMeasures level) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  using Level = ModelSpec::NetworkMeasures;
  if (level == Level::none) {
    std::array<double, 8> nan;
    nan.fill(kNaN);
    return nan;
  }
  const std::size_t n = graph::active_count(g, mask);
  const bool full = level == Level::all && n <= kFullMeasureLimit;
  const auto sizes = graph::component_sizes(g, mask);
  const auto ties = static_cast<double>(graph::active_ties(g, mask));
  const auto nodes = static_cast<double>(n);
  return {nodes,
          ties,
          static_cast<double>(sizes.size()),
          sizes.empty() ? 0.0 : static_cast<double>(sizes.front()),
          n < 2 ? 0.0 : ties / (nodes * (nodes - 1) / 2),  // the cell network is undirected
          full ? graph::global_efficiency(g, mask) : kNaN,
          graph::degree_centralisation(g, mask),
          full ? graph::betweenness_centralisation(g, mask) : kNaN};
}

}  // namespace interdict::model
