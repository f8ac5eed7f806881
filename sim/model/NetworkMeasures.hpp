// NetworkMeasures: the eight measures of a cell network that time series and the intervention
// log record, for the true network and enforcement's picture alike.
#pragma once

#include <array>
#include <string_view>

#include "graph/Graph.hpp"
#include "model/ModelSpec.hpp"

namespace interdict::model {

/// Networks larger than this (in cells) get no efficiency or betweenness centralisation: those
/// measures cost a search from every node.
inline constexpr std::size_t kFullMeasureLimit = 1000;

inline constexpr std::array<std::string_view, 8> kNetworkMeasureNames{"nodes",
                                                                      "ties",
                                                                      "components",
                                                                      "largest_component",
                                                                      "density",
                                                                      "efficiency",
                                                                      "degree_centralisation",
                                                                      "betweenness_centralisation"};

/// The measures, in the order of kNetworkMeasureNames, of the active part of `g`, at `level`
/// (NaN for what the level or the size leaves out).
std::array<double, 8> network_measures(const graph::Graph& g, const graph::NodeMask& mask,
                                       ModelSpec::NetworkMeasures level);

}  // namespace interdict::model
