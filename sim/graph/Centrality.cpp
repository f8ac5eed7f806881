// Centrality: Brandes' betweenness, shortest-path closeness, and power iterations on Eigen
// sparse matrices.
#include "graph/Centrality.hpp"

#include <Eigen/SparseCore>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <string>
#include <utility>

namespace interdict::graph {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Single-source shortest paths along out-ties (or in-ties, `reverse`) among active nodes:
/// distances, path counts and the order in which nodes were settled.
class ShortestPaths {
 public:
  explicit ShortestPaths(std::size_t n) : distance(n, kInfinity), paths(n, 0.0) {}

  void run(const Graph& g, const NodeMask& mask, std::size_t source, bool weighted,
           bool reverse = false) {
    for (std::size_t v : order) {
      distance[v] = kInfinity;
      paths[v] = 0.0;
    }
    order.clear();
    distance[source] = 0.0;
    paths[source] = 1.0;
    const auto ties = [&](std::size_t v) { return reverse ? g.in(v) : g.out(v); };
    if (!weighted) {
      order.push_back(source);
      for (std::size_t head = 0; head < order.size(); ++head) {
        const std::size_t v = order[head];
        for (const Neighbour& nb : ties(v)) {
          if (!is_active(mask, nb.node)) continue;
          if (distance[nb.node] == kInfinity) {
            distance[nb.node] = distance[v] + 1.0;
            order.push_back(nb.node);
          }
          if (distance[nb.node] == distance[v] + 1.0) paths[nb.node] += paths[v];
        }
      }
      return;
    }
    using Item = std::pair<double, std::size_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    heap.push({0.0, source});
    std::vector<char>& settled = settled_;
    settled.resize(distance.size(), 0);
    while (!heap.empty()) {
      const auto [d, v] = heap.top();
      heap.pop();
      if (settled[v] || d > distance[v]) continue;
      settled[v] = 1;
      order.push_back(v);
      for (const Neighbour& nb : ties(v)) {
        if (!is_active(mask, nb.node) || settled[nb.node]) continue;
        const double through = d + nb.weight;
        if (through < distance[nb.node]) {
          distance[nb.node] = through;
          paths[nb.node] = paths[v];
          heap.push({through, nb.node});
        } else if (through == distance[nb.node]) {
          paths[nb.node] += paths[v];
        }
      }
    }
    for (std::size_t v : order)
      settled[v] = 0;
  }

  std::vector<double> distance;
  std::vector<double> paths;
  std::vector<std::size_t> order;  // settled nodes, nearest first

 private:
  std::vector<char> settled_;
};

/// A^T over the active nodes (entry (to, from) = weight or 1), for x <- A^T x.
Eigen::SparseMatrix<double> transposed_adjacency(const Graph& g, const NodeMask& mask,
                                                 bool weighted) {
  std::vector<Eigen::Triplet<double>> entries;
  for (std::size_t v = 0; v < g.size(); ++v) {
    if (!is_active(mask, v)) continue;
    for (const Neighbour& nb : g.out(v))
      if (is_active(mask, nb.node))
        entries.emplace_back(static_cast<int>(nb.node), static_cast<int>(v),
                             weighted ? nb.weight : 1.0);
  }
  const auto n = static_cast<int>(g.size());
  Eigen::SparseMatrix<double> at(n, n);
  at.setFromTriplets(entries.begin(), entries.end());
  return at;
}

Eigen::VectorXd active_vector(const Graph& g, const NodeMask& mask, double value) {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(g.size()));
  for (std::size_t v = 0; v < g.size(); ++v)
    if (is_active(mask, v)) x[static_cast<Eigen::Index>(v)] = value;
  return x;
}

std::vector<double> to_vector(const Eigen::VectorXd& x) {
  return {x.begin(), x.end()};
}

}  // namespace

std::vector<double> degree_centrality(const Graph& g, const NodeMask& mask) {
  const std::size_t n = active_count(g, mask);
  std::vector<double> out(g.size(), 0.0);
  if (n <= 1) {
    for (std::size_t v = 0; v < g.size(); ++v)
      out[v] = is_active(mask, v) ? 1.0 : 0.0;
    return out;
  }
  const auto count = [&](std::span<const Neighbour> ties) {
    return static_cast<double>(std::count_if(
        ties.begin(), ties.end(), [&](const Neighbour& nb) { return is_active(mask, nb.node); }));
  };
  for (std::size_t v = 0; v < g.size(); ++v)
    if (is_active(mask, v))
      out[v] =
          (count(g.out(v)) + (g.directed() ? count(g.in(v)) : 0.0)) / static_cast<double>(n - 1);
  return out;
}

namespace {

/// Brandes' accumulation for unweighted graphs: integer distances from a breadth-first
/// search; predecessors of w are its in-ties one step nearer the source.
void brandes_unweighted(const Graph& g, const NodeMask& mask, std::vector<double>& score) {
  const std::size_t n = g.size();
  std::vector<std::int64_t> distance(n, -1);
  std::vector<double> paths(n, 0.0);
  std::vector<double> dependency(n, 0.0);
  std::vector<std::size_t> order;
  order.reserve(n);
  for (std::size_t s = 0; s < n; ++s) {
    if (!is_active(mask, s)) continue;
    order.assign(1, s);
    distance[s] = 0;
    paths[s] = 1.0;
    for (std::size_t head = 0; head < order.size(); ++head) {
      const std::size_t v = order[head];
      const std::int64_t next = distance[v] + 1;
      for (const Neighbour& nb : g.out(v)) {
        const std::size_t w = nb.node;
        if (distance[w] < 0) {
          if (!is_active(mask, w)) continue;
          distance[w] = next;
          order.push_back(w);
        }
        if (distance[w] == next) paths[w] += paths[v];
      }
    }
    for (std::size_t i = order.size(); i-- > 1;) {
      const std::size_t w = order[i];
      const double share = (1.0 + dependency[w]) / paths[w];
      const std::int64_t previous = distance[w] - 1;
      for (const Neighbour& nb : g.in(w))
        if (distance[nb.node] == previous) dependency[nb.node] += paths[nb.node] * share;
      score[w] += dependency[w];
    }
    for (std::size_t v : order) {
      distance[v] = -1;
      paths[v] = 0.0;
      dependency[v] = 0.0;
    }
  }
}

/// Brandes' accumulation with tie weights as lengths (Dijkstra).
void brandes_weighted(const Graph& g, const NodeMask& mask, std::vector<double>& score) {
  std::vector<double> dependency(g.size(), 0.0);
  ShortestPaths sp(g.size());
  for (std::size_t s = 0; s < g.size(); ++s) {
    if (!is_active(mask, s)) continue;
    sp.run(g, mask, s, true);
    // Dependencies accumulate from the farthest node back; predecessors of w are the in-ties
    // v with distance[v] + length(v, w) == distance[w].
    for (auto it = sp.order.rbegin(); it != sp.order.rend(); ++it) {
      const std::size_t w = *it;
      const double share = (1.0 + dependency[w]) / sp.paths[w];
      for (const Neighbour& nb : g.in(w)) {
        const std::size_t v = nb.node;
        if (!is_active(mask, v) || sp.distance[v] == kInfinity) continue;
        if (sp.distance[v] + nb.weight == sp.distance[w]) dependency[v] += sp.paths[v] * share;
      }
      if (w != s) score[w] += dependency[w];
    }
    for (std::size_t v : sp.order)
      dependency[v] = 0.0;
  }
}

}  // namespace

std::vector<double> betweenness_centrality(const Graph& g, const NodeMask& mask, bool weighted,
                                           bool normalized) {
  std::vector<double> score(g.size(), 0.0);
  if (weighted)
    brandes_weighted(g, mask, score);
  else
    brandes_unweighted(g, mask, score);
  const std::size_t n = active_count(g, mask);
  double scale = 1.0;
  if (normalized)
    scale = n > 2 ? 1.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2)) : 1.0;
  else if (!g.directed())
    scale = 0.5;
  for (double& x : score)
    x *= scale;
  return score;
}

std::vector<double> closeness_centrality(const Graph& g, const NodeMask& mask, bool weighted) {
  const std::size_t n = active_count(g, mask);
  std::vector<double> out(g.size(), 0.0);
  ShortestPaths sp(g.size());
  for (std::size_t v = 0; v < g.size(); ++v) {
    if (!is_active(mask, v)) continue;
    sp.run(g, mask, v, weighted, /*reverse=*/true);  // distances to v
    double total = 0.0;
    for (std::size_t u : sp.order)
      total += sp.distance[u];
    const double reached = static_cast<double>(sp.order.size()) - 1.0;
    if (total > 0.0 && n > 1) out[v] = reached / total * reached / static_cast<double>(n - 1);
  }
  return out;
}

std::vector<double> eigenvector_centrality(const Graph& g, const NodeMask& mask, bool weighted,
                                           double tolerance) {
  const std::size_t n = active_count(g, mask);
  if (n == 0) return std::vector<double>(g.size(), 0.0);
  const Eigen::SparseMatrix<double> at = transposed_adjacency(g, mask, weighted);
  Eigen::VectorXd x = active_vector(g, mask, 1.0 / static_cast<double>(n));
  constexpr int kMaxIterations = 100;
  for (int i = 0; i < kMaxIterations; ++i) {
    const Eigen::VectorXd last = x;
    x = last + at * last;
    const double norm = x.norm();
    if (norm > 0) x /= norm;
    if ((x - last).lpNorm<1>() < static_cast<double>(n) * tolerance) return to_vector(x);
  }
  throw ConvergenceError("eigenvector centrality did not converge in " +
                         std::to_string(kMaxIterations) + " iterations");
}

std::vector<double> katz_centrality(const Graph& g, const NodeMask& mask, bool weighted,
                                    double alpha, double beta, double tolerance) {
  const std::size_t n = active_count(g, mask);
  if (n == 0) return std::vector<double>(g.size(), 0.0);
  const Eigen::SparseMatrix<double> at = transposed_adjacency(g, mask, weighted);
  const Eigen::VectorXd b = active_vector(g, mask, beta);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(g.size()));
  constexpr int kMaxIterations = 1000;
  for (int i = 0; i < kMaxIterations; ++i) {
    const Eigen::VectorXd last = x;
    x = alpha * (at * last) + b;
    if (!x.allFinite()) break;
    if ((x - last).lpNorm<1>() < static_cast<double>(n) * tolerance) {
      const double norm = x.norm();
      if (norm > 0) x /= norm;
      return to_vector(x);
    }
  }
  throw ConvergenceError("Katz centrality did not converge in " + std::to_string(kMaxIterations) +
                         " iterations: alpha must be below 1 / the largest eigenvalue of the "
                         "adjacency matrix");
}

std::vector<double> centrality(const Graph& g, Measure measure, const NodeMask& mask,
                               const CentralityOptions& options) {
  switch (measure) {
    case Measure::degree:
      return degree_centrality(g, mask);
    case Measure::betweenness:
      return betweenness_centrality(g, mask, options.weighted, options.normalized);
    case Measure::closeness:
      return closeness_centrality(g, mask, options.weighted);
    case Measure::eigenvector:
      return eigenvector_centrality(g, mask, options.weighted, options.tolerance);
    case Measure::katz:
      return katz_centrality(g, mask, options.weighted, options.katz_alpha, options.katz_beta,
                             options.tolerance);
  }
  throw std::logic_error("unknown measure");
}

}  // namespace interdict::graph
