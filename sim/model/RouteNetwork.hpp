// RouteNetwork: places and directed routes as a graph, with least-cost path search.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "model/ModelSpec.hpp"

namespace interdict::model {

/// The least-cost paths from every place to one target: the fixed point of
///   best[x] = min over routes r from x to y of best[y] + w_r,  best[target] = 0,
/// with next[x] the lowest-numbered route attaining the minimum.
struct PathTree {
  std::vector<double> best;       // per place: least cost to the target (+infinity: none)
  std::vector<std::size_t> next;  // per place: first route of that path (kNone: none, target)
  /// Every route in use raised every cost it was added to (no zero weights, none lost to
  /// rounding): then the tree is the fixed point above, whatever order a search took, and can
  /// be updated in place. Otherwise it can only be searched again.
  bool updatable = false;
};

/// A route whose weight changed from `before` to what the weights now hold.
struct WeightChange {
  std::size_t route;
  double before;
};

/// Directed graph of places (vertices) and routes (edges). The tree searches share scratch
/// space kept in the network: one network serves one thread.
class RouteNetwork {
 public:
  RouteNetwork(const std::vector<PlaceSpec>& places, const std::vector<RouteSpec>& routes);
  ~RouteNetwork();
  RouteNetwork(const RouteNetwork&) = delete;
  RouteNetwork& operator=(const RouteNetwork&) = delete;

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

  /// The whole tree towards `to` (one reverse Dijkstra). The paths of the `needed` places are
  /// those least_cost_tree_to gives them, whether or not the tree is updatable.
  void build_tree(std::size_t to, const std::vector<double>& weights,
                  const std::vector<std::size_t>& needed, PathTree& tree) const;

  /// Brings an updatable tree from the weights it was built with to `weights`, which differ
  /// only on the `changes`: it searches again only the places whose path ran over a route that
  /// became dearer, and from routes that became cheaper (Ramalingam and Reps 1996). The result
  /// equals build_tree's with `weights`, place by place. False, with `tree` to be rebuilt, if
  /// the new weights do not keep the tree updatable.
  bool update_tree(const std::vector<double>& weights, std::span<const WeightChange> changes,
                   PathTree& tree) const;

  /// Routes leaving and entering `place`.
  const std::vector<std::size_t>& routes_from(std::size_t place) const { return outgoing_[place]; }
  std::span<const std::size_t> routes_into(std::size_t place) const {
    return {incoming_route_.data() + incoming_start_[place],
            incoming_route_.data() + incoming_start_[place + 1]};
  }

  /// The path with the least mean travel time.
  std::optional<std::vector<std::size_t>> fastest_path(std::size_t from, std::size_t to) const;

 private:
  const std::vector<RouteSpec>& routes_;
  std::vector<std::vector<std::size_t>> outgoing_;  // route indices by origin place
  // Routes into each place, flattened (compressed sparse rows) for the tree search.
  std::vector<std::size_t> incoming_start_;  // per place, plus one past the end
  std::vector<std::size_t> incoming_route_;
  std::vector<std::size_t> incoming_from_;
  // Scratch for tree searches, kept between them so that an update costs what it touches.
  class Search;
  std::unique_ptr<Search> search_;

  /// Places whose path runs over a route that became dearer (its subtree), marked in search_.
  void mark_dearer(const std::vector<double>& weights, std::span<const WeightChange> changes,
                   PathTree& tree) const;
  /// Offers the places with a route into `place` (settled) its cost plus the route's weight;
  /// false if a usable route failed to raise the cost.
  bool relax_into(std::size_t place, const std::vector<double>& weights, PathTree& tree) const;
  /// update_tree's work: false, with `tree` half-updated, where the weights do not keep it
  /// updatable.
  bool update_in_place(const std::vector<double>& weights, std::span<const WeightChange> changes,
                       PathTree& tree) const;
  /// Runs the search in search_ to the end: false if a route failed to raise a cost.
  bool settle(const std::vector<double>& weights, PathTree& tree) const;
};

}  // namespace interdict::model
