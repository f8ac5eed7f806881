// Targeting: rankings with deterministic tie-breaks, and greedy removal.
#include "graph/Targeting.hpp"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "graph/Structure.hpp"

namespace interdict::graph {

namespace {

/// Values equal to 12 decimals count as ties (sums of shortest-path shares differ in the
/// last bits depending on the order of addition), so rankings do not depend on rounding.
long long rank_key(double value) {
  return std::llround(value * 1e12);
}

std::vector<std::size_t> candidates(const Graph& g, const NodeMask& present,
                                    const NodeMask& eligible) {
  std::vector<std::size_t> out;
  for (std::size_t v = 0; v < g.size(); ++v)
    if (is_active(present, v) && is_active(eligible, v)) out.push_back(v);
  return out;
}

/// A node's score: compared by the first number, then the second; higher is removed first.
using Score = std::pair<double, double>;

/// Candidates ordered by score, highest first, ties to the lower node number.
void order_by(std::vector<std::size_t>& nodes, const std::vector<Score>& score) {
  const auto key = [&](std::size_t v) {
    return std::pair{rank_key(score[v].first), rank_key(score[v].second)};
  };
  std::stable_sort(nodes.begin(), nodes.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
}

/// The key player's score of removing v: (fragmentation, -largest component) after it.
Score removal_effect(const Graph& g, NodeMask& mask, std::size_t v) {
  mask[v] = 0;
  const std::vector<std::size_t> sizes = component_sizes(g, mask);
  const double f = fragmentation(g, mask);
  mask[v] = 1;
  return {f, sizes.empty() ? 0.0 : -static_cast<double>(sizes.front())};
}

std::vector<Score> scores(const Graph& g, const NodeMask& mask,
                          const std::vector<std::size_t>& nodes, const TargetingOptions& o) {
  std::vector<Score> s(g.size(), Score{0.0, 0.0});
  if (o.strategy == Strategy::key_player) {
    NodeMask m = mask.empty() ? NodeMask(g.size(), 1) : mask;
    for (std::size_t v : nodes)
      s[v] = removal_effect(g, m, v);
    return s;
  }
  // Strategies degree..katz are the measures of the same names, in the same order.
  static_assert(static_cast<int>(Strategy::katz) - 1 == static_cast<int>(Measure::katz));
  const auto measure = static_cast<Measure>(static_cast<int>(o.strategy) - 1);
  const std::vector<double> c = centrality(g, measure, mask, o.centrality);
  for (std::size_t v = 0; v < g.size(); ++v)
    s[v].first = c[v];
  return s;
}

}  // namespace

std::optional<Strategy> strategy_named(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kStrategyNames); ++i)
    if (kStrategyNames[i] == name) return static_cast<Strategy>(i);
  return std::nullopt;
}

std::vector<std::size_t> choose_targets(const Graph& g, const NodeMask& present,
                                        const NodeMask& eligible, std::size_t count,
                                        const TargetingOptions& options) {
  std::vector<std::size_t> pool = candidates(g, present, eligible);
  count = std::min(count, pool.size());
  if (options.strategy == Strategy::random) {
    boost::random::mt19937_64 engine(options.seed);
    for (std::size_t i = 0; i < count; ++i) {  // partial Fisher-Yates
      boost::random::uniform_int_distribution<std::size_t> pick(i, pool.size() - 1);
      std::swap(pool[i], pool[pick(engine)]);
    }
    pool.resize(count);
    return pool;
  }
  // The key player is greedy by definition (Borgatti 2006): each removal is chosen on the graph
  // the earlier ones left, so it always recomputes.
  if (!options.recompute && options.strategy != Strategy::key_player) {
    order_by(pool, scores(g, present, pool, options));
    pool.resize(count);
    return pool;
  }
  NodeMask mask = present.empty() ? NodeMask(g.size(), 1) : present;
  std::vector<std::size_t> chosen;
  while (chosen.size() < count) {
    std::vector<std::size_t> ranked = candidates(g, mask, eligible);
    order_by(ranked, scores(g, mask, ranked, options));
    chosen.push_back(ranked.front());
    mask[ranked.front()] = 0;
  }
  return chosen;
}

std::vector<RemovalStep> fragmentation_curve(const Graph& g, const TargetingOptions& options,
                                             std::optional<std::size_t> steps) {
  const std::size_t count = std::min(steps.value_or(g.size()), g.size());
  const std::vector<std::size_t> order = choose_targets(g, {}, {}, count, options);
  NodeMask mask(g.size(), 1);
  std::vector<RemovalStep> curve;
  for (std::size_t v : order) {
    mask[v] = 0;
    const std::vector<std::size_t> sizes = component_sizes(g, mask);
    curve.push_back({v, g.size() == 0 ? 0.0
                                      : static_cast<double>(sizes.empty() ? 0 : sizes.front()) /
                                            static_cast<double>(g.size())});
  }
  return curve;
}

}  // namespace interdict::graph
