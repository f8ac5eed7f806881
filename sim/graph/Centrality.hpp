// Centrality: node centrality measures, normalised as networkx does by default, on a graph with
// some nodes possibly removed (NodeMask).
#pragma once

#include <stdexcept>
#include <string_view>
#include <vector>

#include "graph/Graph.hpp"

namespace interdict::graph {

enum class Measure { degree, betweenness, closeness, eigenvector, katz };
inline constexpr std::string_view kMeasureNames[] = {"degree", "betweenness", "closeness",
                                                     "eigenvector", "katz"};

/// A power iteration that did not converge within its iteration limit.
class ConvergenceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CentralityOptions {
  bool weighted =
      false;  // betweenness, closeness: weights are lengths; eigenvector, katz: strengths
  bool normalized = true;  // betweenness only (the others are always normalised)
  double katz_alpha = 0.1;
  double katz_beta = 1.0;
  double tolerance = 1e-6;  // power iterations stop when sum |x - x_last| < n * tolerance
};

/// Degree / (n - 1); directed graphs count in- and out-ties.
std::vector<double> degree_centrality(const Graph& g, const NodeMask& mask = {});

/// Brandes (2001): shortest paths through each node, by breadth-first search or (weighted)
/// Dijkstra; normalised by (n - 1)(n - 2) (unnormalised undirected values are halved).
std::vector<double> betweenness_centrality(const Graph& g, const NodeMask& mask = {},
                                           bool weighted = false, bool normalized = true);

/// (r - 1) / (sum of distances to the node) x (r - 1) / (n - 1), r the nodes that reach it
/// (Wasserman and Faust's correction for disconnected graphs); 0 when none does.
std::vector<double> closeness_centrality(const Graph& g, const NodeMask& mask = {},
                                         bool weighted = false);

/// Power iteration of x <- (I + A^T) x with unit Euclidean norm (Eigen sparse matrices);
/// at most 100 iterations, else ConvergenceError.
std::vector<double> eigenvector_centrality(const Graph& g, const NodeMask& mask = {},
                                           bool weighted = false, double tolerance = 1e-6);

/// Katz (1953): x <- alpha A^T x + beta, iterated from 0 (at most 1000 times, else
/// ConvergenceError: alpha must be below 1 / the largest eigenvalue), unit Euclidean norm.
std::vector<double> katz_centrality(const Graph& g, const NodeMask& mask = {},
                                    bool weighted = false, double alpha = 0.1, double beta = 1.0,
                                    double tolerance = 1e-6);

/// Any of the above by name.
std::vector<double> centrality(const Graph& g, Measure measure, const NodeMask& mask = {},
                               const CentralityOptions& options = {});

}  // namespace interdict::graph
