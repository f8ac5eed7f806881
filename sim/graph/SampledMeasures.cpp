// SampledMeasures: random pairs joined by bidirectional searches, spread over threads that each
// take pairs by index, so that what is drawn and summed never depends on who took a pair.
#include "graph/SampledMeasures.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/random/uniform_int_distribution.hpp>

#include "core/RandomStreams.hpp"

namespace interdict::graph {

namespace {

/// splitmix64 (Steele, Lea & Flood 2014): a small generator seeded per pair, from the sample's
/// seed and the pair's index, so that a pair's draws are the same on any thread.
class SplitMix64 {
 public:
  using result_type = std::uint64_t;
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    const std::uint64_t x = state_;
    state_ += 0x9E3779B97F4A7C15ull;
    return mix64(x);  // mix64 adds the increment before mixing: splitmix64's output
  }
  /// Uniform in [0, 1) from the top 53 bits.
  double unit() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

/// What the two sides of a search know of one node, side by side so that a step to a node
/// reads one place in memory: its distance from each side's root and the shortest paths from
/// it. Removed nodes have distance kRemoved on both sides for good.
struct NodeState {
  static constexpr std::int32_t kUnreached = -1;
  static constexpr std::int32_t kRemoved = -2;
  std::array<std::int32_t, 2> distance{kUnreached, kUnreached};
  std::array<double, 2> paths{0.0, 0.0};
};

/// One side of a bidirectional breadth-first search (0 from s, 1 from t): the nodes it reached
/// and the level it is expanding.
struct Side {
  std::size_t id;
  std::vector<std::size_t> reached;   // every node with a distance, to reset
  std::vector<std::size_t> frontier;  // the nodes at `depth`
  std::vector<std::size_t> next;
  std::int32_t depth = 0;

  /// Ties leaving the frontier: the cost of expanding it.
  std::size_t frontier_ties(const Graph& g) const {
    std::size_t ties = 0;
    for (std::size_t v : frontier)
      ties += g.out(v).size();
    return ties;
  }
};

/// Distances and one uniformly random shortest path between two nodes, by a balanced
/// bidirectional search: the side whose frontier has fewer ties expands one level at a time
/// until it reaches a node the other side has reached.
class PairSearch {
 public:
  PairSearch(const Graph& g, const NodeMask& mask) : g_(g), state_(g.size()) {
    for (std::size_t v = 0; v < g.size(); ++v)
      if (!is_active(mask, v)) state_[v].distance = {NodeState::kRemoved, NodeState::kRemoved};
  }

  /// d(s, t) for distinct s and t (0 when t is out of reach), adding 1 to `through` for each
  /// inner node of a shortest path drawn uniformly at random.
  std::size_t sample(std::size_t s, std::size_t t, SplitMix64& rng,
                     std::vector<std::uint32_t>& through) {
    start(forward_, s);
    start(backward_, t);
    std::size_t distance = 0;
    if (const auto sides = meet()) {
      const auto [near, far] = *sides;
      const auto [x, w] = draw_meeting(*near, *far, rng);
      distance = static_cast<std::size_t>(near->depth + 1 + far->depth);
      walk_back(*near, x, rng, through);
      walk_back(*far, w, rng, through);
    }
    reset(forward_);
    reset(backward_);
    return distance;
  }

 private:
  void start(Side& side, std::size_t root) {
    state_[root].distance[side.id] = 0;
    state_[root].paths[side.id] = 1.0;
    side.reached.assign(1, root);
    side.frontier.assign(1, root);
    side.depth = 0;
  }
  void reset(const Side& side) {
    for (std::size_t v : side.reached) {
      state_[v].distance[side.id] = NodeState::kUnreached;
      state_[v].paths[side.id] = 0.0;
    }
  }

  /// Expands the cheaper side a level at a time until the two meet: the side that met the
  /// other last (whose frontier the meeting ties leave) and the other; none if a side runs out.
  std::optional<std::pair<Side*, Side*>> meet() {
    for (;;) {
      if (forward_.frontier.empty() || backward_.frontier.empty()) return std::nullopt;
      Side* near =
          forward_.frontier_ties(g_) <= backward_.frontier_ties(g_) ? &forward_ : &backward_;
      Side* far = near == &forward_ ? &backward_ : &forward_;
      if (expand(*near, *far)) return std::pair{near, far};
    }
  }

  /// A meeting tie (x, w) drawn in proportion to the shortest paths through it:
  /// paths from near's root to x times paths from far's root to w (every shortest path
  /// crosses exactly one).
  std::pair<std::size_t, std::size_t> draw_meeting(const Side& near, const Side& far,
                                                   SplitMix64& rng) const {
    const auto through = [&](std::size_t x, std::size_t w) {
      return state_[x].paths[near.id] * state_[w].paths[far.id];
    };
    double total = 0.0;
    for (const auto& [x, w] : meetings_)
      total += through(x, w);
    double u = rng.unit() * total;
    for (const auto& [x, w] : meetings_) {
      u -= through(x, w);
      if (u < 0.0) return {x, w};
    }
    return meetings_.back();  // u within rounding of the total
  }

  /// Expands `side` by one level; true if it met `other` (the meeting ties in meetings_). Nodes
  /// the other side has reached are never taken in, so no node belongs to both sides and every
  /// meeting tie joins the two frontiers.
  bool expand(Side& side, const Side& other) {
    meetings_.clear();
    side.next.clear();
    const std::int32_t depth = side.depth + 1;
    for (std::size_t x : side.frontier) {
      const double paths = state_[x].paths[side.id];
      for (const Neighbour& nb : g_.out(x)) {
        NodeState& w = state_[nb.node];
        if (w.distance[other.id] >= 0) {
          meetings_.emplace_back(x, nb.node);
          continue;
        }
        if (w.distance[side.id] == NodeState::kUnreached) {
          w.distance[side.id] = depth;
          side.reached.push_back(nb.node);
          side.next.push_back(nb.node);
        }
        if (w.distance[side.id] == depth) w.paths[side.id] += paths;
      }
    }
    if (!meetings_.empty()) return true;
    std::swap(side.frontier, side.next);
    side.depth = depth;
    return false;
  }

  /// Counts v and the nodes of a random shortest path from v back to (not including) the root,
  /// each predecessor p drawn with probability paths[p] / paths[v].
  void walk_back(const Side& side, std::size_t v, SplitMix64& rng,
                 std::vector<std::uint32_t>& through) {
    while (state_[v].distance[side.id] > 0) {
      ++through[v];
      const std::int32_t previous = state_[v].distance[side.id] - 1;
      predecessors_.clear();
      double total = 0.0;
      for (const Neighbour& nb : g_.out(v))
        if (state_[nb.node].distance[side.id] == previous) {
          predecessors_.push_back(nb.node);
          total += state_[nb.node].paths[side.id];
        }
      double u = rng.unit() * total;
      std::size_t chosen = predecessors_.back();
      for (std::size_t p : predecessors_) {
        u -= state_[p].paths[side.id];
        if (u < 0.0) {
          chosen = p;
          break;
        }
      }
      v = chosen;
    }
  }

  const Graph& g_;
  std::vector<NodeState> state_;
  Side forward_{0, {}, {}, {}, 0};
  Side backward_{1, {}, {}, {}, 0};
  std::vector<std::pair<std::size_t, std::size_t>> meetings_;
  std::vector<std::size_t> predecessors_;
};

/// Component labels of the active nodes and the vertex diameter bound, from one breadth-first
/// search per component (from its first node), level by level.
struct Components {
  static constexpr std::uint32_t kUnlabelled = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kRemoved = kUnlabelled - 1;
  std::vector<std::uint32_t> label;  // 32 bits: these searches are bound by memory
  std::size_t vertex_diameter = 0;
};

Components components(const Graph& g, const NodeMask& mask) {
  assert(g.size() < Components::kRemoved && "labels fit 32 bits");
  Components out{std::vector<std::uint32_t>(g.size(), Components::kUnlabelled), 0};
  for (std::size_t v = 0; v < g.size(); ++v)
    if (!is_active(mask, v)) out.label[v] = Components::kRemoved;
  std::vector<std::size_t> level;
  std::vector<std::size_t> next_level;
  std::uint32_t component = 0;
  for (std::size_t start = 0; start < g.size(); ++start) {
    if (out.label[start] != Components::kUnlabelled) continue;
    out.label[start] = component;
    level.assign(1, start);
    std::size_t eccentricity = 0;
    for (;; ++eccentricity) {
      next_level.clear();
      for (std::size_t v : level)
        for (const Neighbour& nb : g.out(v))
          if (out.label[nb.node] == Components::kUnlabelled) {
            out.label[nb.node] = component;
            next_level.push_back(nb.node);
          }
      if (next_level.empty()) break;
      std::swap(level, next_level);
    }
    // Any two nodes are within e of the start, hence within 2 e of each other.
    out.vertex_diameter = std::max(out.vertex_diameter, 2 * eccentricity + 1);
    ++component;
  }
  return out;
}

/// Takes every index below `count` on `threads` threads (the calling thread alone when one):
/// each makes its own worker, which takes the next block of indices as it finishes one and is
/// told when none are left.
template <class MakeWorker>
void parallel_for(std::size_t count, unsigned threads, MakeWorker make_worker) {
  constexpr std::size_t kBlock = 16;
  const auto workers = static_cast<unsigned>(
      std::clamp<std::size_t>((count + kBlock - 1) / kBlock, 1, std::max(threads, 1u)));
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto run = [&] {
    try {
      auto worker = make_worker();  // made on its thread: no memory shared with the others
      for (std::size_t begin; (begin = next.fetch_add(kBlock)) < count;)
        for (std::size_t i = begin; i < std::min(begin + kBlock, count); ++i)
          worker.take(i);
      worker.finish();
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = count;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < workers; ++w)
    pool.emplace_back(run);
  run();
  for (std::thread& t : pool)
    t.join();
  if (failure) std::rethrow_exception(failure);
}

/// What the threads of a sample share: the population of pairs, and the results, each pair's
/// distance in its own slot and the counts of paths through each node, added up as each thread
/// finishes (integers, whose total does not depend on the order).
struct PairSample {
  const Graph& g;
  std::vector<std::size_t> nodes;  // the active nodes
  Components parts;
  std::uint64_t seed;
  std::vector<std::uint32_t> distance;  // per pair; 0: out of reach
  std::vector<std::uint64_t> through;   // per node: sampled paths with it inside
  std::mutex through_mutex;
};

/// One thread's share of the pairs: its own search and counts.
class PairWorker {
 public:
  PairWorker(PairSample& sample, const NodeMask& mask)
      : sample_(sample), search_(sample.g, mask), through_(sample.g.size(), 0) {}

  /// Pair i: two distinct active nodes and a search between them, from i's own generator.
  void take(std::size_t i) {
    const std::size_t n = sample_.nodes.size();
    SplitMix64 rng(mix64(sample_.seed ^ mix64(i)));
    boost::random::uniform_int_distribution<std::size_t> first(0, n - 1), second(0, n - 2);
    const std::size_t a = first(rng);
    std::size_t b = second(rng);
    if (b >= a) ++b;
    const std::size_t s = sample_.nodes[a], t = sample_.nodes[b];
    if (sample_.parts.label[s] == sample_.parts.label[t])
      sample_.distance[i] = static_cast<std::uint32_t>(search_.sample(s, t, rng, through_));
  }
  void finish() {
    const std::lock_guard lock(sample_.through_mutex);
    for (std::size_t v = 0; v < through_.size(); ++v)
      sample_.through[v] += through_[v];
  }

 private:
  PairSample& sample_;
  PairSearch search_;
  std::vector<std::uint32_t> through_;
};

/// centralisation_error(n, VD, r) x sqrt(r).
double centralisation_numerator(std::size_t nodes, std::size_t vertex_diameter, double confidence) {
  const double delta = 1.0 - confidence;
  const auto n = static_cast<double>(nodes);
  const double scale = n / ((n - 1.0) * (n - 2.0));
  // Hoeffding with delta / 2 shared among the n nodes, and delta / 2 for the sum.
  const double every_node = std::sqrt(std::log(4.0 * n / delta) / 2.0);
  const double sum =
      static_cast<double>(vertex_diameter - 2) * std::sqrt(std::log(4.0 / delta) / 2.0);
  return scale * (n * every_node + sum);
}

/// The estimates and their bounds from the pairs' distances and the counts of paths through
/// each node.
void summarise_samples(SampledMeasures& out, const PairSample& sample, double confidence) {
  const std::size_t nodes = sample.nodes.size();
  const auto r = static_cast<double>(out.pairs);
  double efficiency = 0.0;
  for (std::uint32_t d : sample.distance)  // in pair order: the same sum on any number of threads
    if (d > 0) efficiency += 1.0 / static_cast<double>(d);
  out.efficiency = efficiency / r;
  out.efficiency_error = efficiency_error(out.pairs, confidence);
  out.betweenness_centralisation_error =
      centralisation_error(nodes, out.vertex_diameter, out.pairs, confidence);
  if (nodes < 3) return;
  std::uint64_t top = 0, sum = 0;
  for (std::uint64_t c : sample.through) {
    top = std::max(top, c);
    sum += c;
  }
  // Freeman's sum of (max c - c_v) over n - 1, with c_v = n / (n - 2) x through_v / r (the
  // betweenness normalised by (n - 1)(n - 2), as betweenness_centralisation does).
  const auto n = static_cast<double>(nodes);
  out.betweenness_centralisation =
      n / ((n - 2.0) * (n - 1.0) * r) * static_cast<double>(nodes * top - sum);
}

}  // namespace

double efficiency_error(std::size_t pairs, double confidence) {
  if (pairs == 0) return 1.0;
  const double delta = 1.0 - confidence;
  return std::sqrt(std::log(2.0 / delta) / (2.0 * static_cast<double>(pairs)));
}

double centralisation_error(std::size_t nodes, std::size_t vertex_diameter, std::size_t pairs,
                            double confidence) {
  if (nodes < 3 || vertex_diameter < 3) return 0.0;
  if (pairs == 0) return 1.0;
  return centralisation_numerator(nodes, vertex_diameter, confidence) /
         std::sqrt(static_cast<double>(pairs));
}

std::size_t required_pairs(std::size_t nodes, std::size_t vertex_diameter, double error,
                           double confidence) {
  const double delta = 1.0 - confidence;
  auto pairs = static_cast<std::size_t>(std::ceil(std::log(2.0 / delta) / (2.0 * error * error)));
  if (nodes >= 3 && vertex_diameter >= 3) {
    const double root = centralisation_numerator(nodes, vertex_diameter, confidence) / error;
    pairs = std::max(pairs, static_cast<std::size_t>(std::ceil(root * root)));
  }
  // The square root may round the bound a hair above `error`.
  while (efficiency_error(pairs, confidence) > error ||
         centralisation_error(nodes, vertex_diameter, pairs, confidence) > error)
    ++pairs;
  return pairs;
}

std::size_t vertex_diameter_bound(const Graph& g, const NodeMask& mask) {
  return components(g, mask).vertex_diameter;
}

std::uint64_t network_fingerprint(const Graph& g, const NodeMask& mask) {
  std::uint64_t h = mix64(g.size());
  for (std::size_t v = 0; v < g.size(); ++v) {
    if (!is_active(mask, v)) continue;
    h = mix64(h ^ (2 * v));
    for (const Neighbour& nb : g.out(v))
      if (is_active(mask, nb.node)) h = mix64(h ^ (2 * nb.node + 1));
  }
  return h;
}

SampledMeasures sample_measures(const Graph& g, const NodeMask& mask,
                                const SamplingOptions& options) {
  assert(!g.directed() && "sampled measures are for undirected networks");
  SampledMeasures out;
  PairSample sample{g, {}, {}, options.seed, {}, {}, {}};
  for (std::size_t v = 0; v < g.size(); ++v)
    if (is_active(mask, v)) sample.nodes.push_back(v);
  if (sample.nodes.size() < 2) return out;
  sample.parts = components(g, mask);
  out.vertex_diameter = sample.parts.vertex_diameter;
  out.pairs =
      required_pairs(sample.nodes.size(), out.vertex_diameter, options.error, options.confidence);
  assert(out.pairs < std::numeric_limits<std::uint32_t>::max() && "counts fit 32 bits");
  sample.distance.assign(out.pairs, 0);
  sample.through.assign(g.size(), 0);
  parallel_for(out.pairs, options.threads, [&] { return PairWorker(sample, mask); });
  summarise_samples(out, sample, options.confidence);
  return out;
}

}  // namespace interdict::graph
