// RouteNetwork: places and directed routes as a graph, with least-cost path search.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "model/ModelSpec.hpp"

namespace interdict::model {

/// Directed graph of places (vertices) and routes (edges).
class RouteNetwork {
 public:
  RouteNetwork(const std::vector<PlaceSpec>& places, const std::vector<RouteSpec>& routes);

  /// Route indices of the path from `from` to `to` minimising the sum of `weight(route)`
  /// (Dijkstra; weights must be >= 0, +infinity excludes a route; ties broken by route
  /// order), or nullopt if `to` cannot be reached. Empty if from == to.
  std::optional<std::vector<std::size_t>> least_cost_path(
      std::size_t from, std::size_t to, const std::function<double(std::size_t)>& weight) const;

  /// For every place, the first route of a least-cost path from it to `to` (kNone where `to`
  /// cannot be reached, and at `to` itself): one reverse Dijkstra serves every origin.
  /// `weights` has one entry per route. With `needed` non-empty the search stops once those
  /// places are settled: their paths (and only theirs) are then final.
  std::vector<std::size_t> least_cost_tree_to(std::size_t to, const std::vector<double>& weights,
                                              const std::vector<std::size_t>& needed = {}) const;

  /// The path with the least mean travel time.
  std::optional<std::vector<std::size_t>> fastest_path(std::size_t from, std::size_t to) const;

 private:
  const std::vector<RouteSpec>& routes_;
  std::vector<std::vector<std::size_t>> outgoing_;  // route indices by origin place
  // Routes into each place, flattened (compressed sparse rows) for the tree search.
  std::vector<std::size_t> incoming_start_;  // per place, plus one past the end
  std::vector<std::size_t> incoming_route_;
  std::vector<std::size_t> incoming_from_;
};

}  // namespace interdict::model
