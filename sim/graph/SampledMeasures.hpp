// SampledMeasures: global efficiency and betweenness centralisation estimated from random pairs
// of nodes, with a bound on their error, for networks too large for a search from every node.
#pragma once

#include <cstddef>
#include <cstdint>

#include "graph/Graph.hpp"

namespace interdict::graph {

/// How many pairs to sample and how: `error` is the bound wanted on each estimate, holding with
/// probability `confidence`; the pairs and the paths drawn follow from `seed` alone, so the
/// estimates are the same whatever the number of `threads` sharing the searches.
struct SamplingOptions {
  double error = 0.05;
  double confidence = 0.95;
  std::uint64_t seed = 0;
  unsigned threads = 1;
};

/// Estimates and the bounds they hold with probability `confidence` each:
/// |efficiency - global_efficiency| <= efficiency_error and likewise for betweenness
/// centralisation (the exact measures of graph/Structure.hpp).
struct SampledMeasures {
  double efficiency = 0.0;
  double efficiency_error = 0.0;
  double betweenness_centralisation = 0.0;
  double betweenness_centralisation_error = 0.0;
  std::size_t pairs = 0;            // ordered pairs of distinct active nodes sampled
  std::size_t vertex_diameter = 0;  // the upper bound on nodes in a shortest path used
};

/// Both measures of the active part of the undirected graph `g` from r uniform random ordered
/// pairs (s, t) of distinct active nodes, each joined by a balanced bidirectional breadth-first
/// search: efficiency is the mean of 1 / d(s, t) (0 when t is out of reach); betweenness is
/// Riondato and Kornaropoulos' (2016) estimate, the share of sampled paths through a node, one
/// shortest s-t path drawn uniformly at random per pair. r is the least that makes both bounds
/// at most options.error.
SampledMeasures sample_measures(const Graph& g, const NodeMask& mask,
                                const SamplingOptions& options);

/// Hoeffding's bound on the mean of r independent values in [0, 1]: sqrt(ln(2 / delta) / (2 r)),
/// delta = 1 - confidence.
double efficiency_error(std::size_t pairs, double confidence);

/// The bound on the sampled betweenness centralisation of n active nodes whose shortest paths
/// have at most `vertex_diameter` (VD) nodes, from r pairs: with delta split in halves,
/// n / ((n - 1)(n - 2)) x (n sqrt(ln(4 n / delta) / (2 r)) + (VD - 2) sqrt(ln(4 / delta) / (2 r))),
/// Hoeffding's bound on every node's betweenness at once (a union bound over the n nodes) and
/// on their sum (docs/model.md 3.3.14 derives it). 0 when VD < 3 or n < 3: every betweenness is
/// then 0, sampled or not.
double centralisation_error(std::size_t nodes, std::size_t vertex_diameter, std::size_t pairs,
                            double confidence);

/// The least number of pairs for which both bounds are at most `error`.
std::size_t required_pairs(std::size_t nodes, std::size_t vertex_diameter, double error,
                           double confidence);

/// An upper bound on the nodes of any shortest path among active nodes of an undirected graph:
/// 2 e + 1 for the largest eccentricity e of the first node of each connected component.
std::size_t vertex_diameter_bound(const Graph& g, const NodeMask& mask);

/// A 64-bit digest of the active nodes and the ties among them, to seed a sample: the same
/// network is estimated the same way whenever it is measured.
std::uint64_t network_fingerprint(const Graph& g, const NodeMask& mask);

}  // namespace interdict::graph
