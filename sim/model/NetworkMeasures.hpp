// NetworkMeasures: the eight measures of a cell network that time series and the intervention
// log record, for the true network and enforcement's picture alike.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "graph/Graph.hpp"
#include "model/ModelSpec.hpp"

namespace interdict::model {

inline constexpr std::array<std::string_view, 8> kNetworkMeasureNames{"nodes",
                                                                      "ties",
                                                                      "components",
                                                                      "largest_component",
                                                                      "density",
                                                                      "efficiency",
                                                                      "degree_centralisation",
                                                                      "betweenness_centralisation"};

/// The probability with which each sampled estimate lies within its stated bound.
inline constexpr double kMeasureConfidence = 0.95;

/// How a run's efficiency and betweenness centralisation values were computed, for the result
/// file's attributes.
struct MeasureRecord {
  std::uint64_t exact = 0;           // networks measured exactly (at most the limit)
  std::uint64_t sampled = 0;         // networks measured from a sample
  std::uint64_t largest_sample = 0;  // pairs
  double efficiency_error = 0.0;     // the largest bound stated for a sampled value
  double betweenness_centralisation_error = 0.0;
};

/// Measures cell networks at the scenario's output.network_measures level: exact up to
/// output.exact_measure_limit cells, sampled above it (graph/SampledMeasures.hpp) unless the
/// sample would need n^2 pairs or more, about the work of the exact measures. The sample
/// is seeded from the run's "network_measures" stream and the network itself, so it draws from
/// no stream of the model, a network is estimated the same way whenever it is measured, and
/// the estimates do not depend on the number of threads.
class NetworkMeasurer {
 public:
  NetworkMeasurer(const ModelSpec& spec, std::uint64_t seed, unsigned threads)
      : spec_(spec), seed_(seed), threads_(threads) {}

  /// The measures, in the order of kNetworkMeasureNames, of the active part of `g` (NaN for
  /// what the level leaves out).
  std::array<double, 8> measure(const graph::Graph& g, const graph::NodeMask& mask);

  const MeasureRecord& record() const { return record_; }

 private:
  /// Whether the n cells are so few that the exact measures cost no more than a sample.
  bool exact_is_cheaper(const graph::Graph& g, const graph::NodeMask& mask, std::size_t n) const;

  const ModelSpec& spec_;
  std::uint64_t seed_;
  unsigned threads_;
  MeasureRecord record_;
};

}  // namespace interdict::model
