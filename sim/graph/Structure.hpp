// Structure: whole-network measures (components, density, efficiency, centralisation).
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "graph/Graph.hpp"

namespace interdict::graph {

inline constexpr std::size_t kNoComponent = std::numeric_limits<std::size_t>::max();

/// Weakly connected component of each active node (0, 1, ... in order of their lowest node),
/// kNoComponent for removed nodes.
std::vector<std::size_t> component_labels(const Graph& g, const NodeMask& mask = {});

/// Sizes of the weakly connected components, largest first.
std::vector<std::size_t> component_sizes(const Graph& g, const NodeMask& mask = {});

/// Ties / possible ties among the active nodes (0 with fewer than two nodes).
double density(const Graph& g, const NodeMask& mask = {});

/// Latora and Marchiori (2001): mean of 1 / distance over ordered pairs of active nodes
/// (unweighted; directed graphs along their directions), 0 with fewer than two nodes.
double global_efficiency(const Graph& g, const NodeMask& mask = {});

/// Borgatti's (2006) fragmentation: the share of pairs of active nodes that cannot reach
/// each other, 1 - sum s_k (s_k - 1) / (n (n - 1)) over component sizes s_k.
double fragmentation(const Graph& g, const NodeMask& mask = {});

/// Freeman's centralisation of the undirected graph: sum (max c - c_v) over the maximum
/// possible (a star), for normalised degree (divided by n - 2) and betweenness (by n - 1).
double degree_centralisation(const Graph& g, const NodeMask& mask = {});
double betweenness_centralisation(const Graph& g, const NodeMask& mask = {});

/// The measures above at once, for summaries and time series.
struct NetworkSummary {
  std::size_t nodes = 0;
  std::size_t ties = 0;
  std::size_t components = 0;
  std::size_t largest_component = 0;
  double density = 0.0;
  double global_efficiency = 0.0;
  double degree_centralisation = 0.0;
  double betweenness_centralisation = 0.0;
};
NetworkSummary summarise(const Graph& g, const NodeMask& mask = {});

/// Ties among active nodes (undirected: pairs).
std::size_t active_ties(const Graph& g, const NodeMask& mask = {});

}  // namespace interdict::graph
