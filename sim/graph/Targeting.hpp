// Targeting: which nodes to remove first, by a centrality ranking or the greedy key player,
// and the fragmentation curve that results.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "graph/Centrality.hpp"
#include "graph/Graph.hpp"

namespace interdict::graph {

enum class Strategy { random, degree, betweenness, closeness, eigenvector, katz, key_player };
inline constexpr std::string_view kStrategyNames[] = {
    "random", "degree", "betweenness", "closeness", "eigenvector", "katz", "key-player"};

/// The strategy named `name`, if any.
std::optional<Strategy> strategy_named(std::string_view name);

struct TargetingOptions {
  Strategy strategy = Strategy::degree;
  bool recompute = false;  // rank again after every removal (else once, on the starting graph);
                           // the key player always does
  CentralityOptions centrality{};
  std::uint64_t seed = 0;  // for the random strategy
};

/// Up to `count` nodes to remove, in order, among the `eligible` active nodes, ranked on the
/// graph of the `present` nodes. Centrality ties go to the lower node number. The key player
/// removes the node whose removal leaves the most pairs disconnected (fragmentation), then
/// the smallest largest component; it is greedy, choosing each node on the graph the earlier
/// removals left, whatever `recompute` says.
std::vector<std::size_t> choose_targets(const Graph& g, const NodeMask& present,
                                        const NodeMask& eligible, std::size_t count,
                                        const TargetingOptions& options);

/// One removal of a fragmentation curve: the node removed and, after it, the fraction of the
/// starting nodes in the largest connected component.
struct RemovalStep {
  std::size_t node;
  double largest_component_fraction;
};

/// Removes nodes one by one by the strategy (all of them unless `steps` is given).
std::vector<RemovalStep> fragmentation_curve(const Graph& g, const TargetingOptions& options,
                                             std::optional<std::size_t> steps = std::nullopt);

}  // namespace interdict::graph
