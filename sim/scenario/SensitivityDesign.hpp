// SensitivityDesign: the points of Morris and Saltelli (Sobol) designs in the unit cube.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/DesignPoint.hpp"

namespace interdict::scenario {

/// One factor of a sensitivity design: a numeric scenario key varied over [low, high], evenly
/// or (log) evenly in its logarithm.
struct Factor {
  std::string key;
  double low = 0.0;
  double high = 1.0;
  bool log = false;

  /// The key's value at unit coordinate u in [0, 1].
  double value(double u) const;
};

/// A design point: unit coordinates, one per factor, and its place in the design.
struct UnitPoint {
  std::vector<double> u;
  DesignPoint where;
};

/// Morris (1991) elementary-effect design: `trajectories` one-at-a-time paths of factors + 1
/// points on a grid of `levels` (even) levels, each step moving one factor, in random order, by
/// levels / (2 (levels - 1)) up or down. Points in plan order: trajectory by trajectory.
std::vector<UnitPoint> morris_points(std::size_t factors, std::size_t trajectories, unsigned levels,
                                     std::uint64_t seed);

/// Saltelli (2010) design for first- and total-order Sobol indices: matrices A and B from the
/// first and last `factors` dimensions of a Sobol sequence (Boost.Random, Joe & Kuo 2008
/// directions) under a random digital shift drawn from `seed`, and AB_i (A with column i from
/// B). Points in plan order: for each base row j, A_j, B_j, AB_j^0 ... AB_j^(k-1).
std::vector<UnitPoint> saltelli_points(std::size_t factors, std::size_t base_points,
                                       std::uint64_t seed);

/// The design as one line of JSON, stored with the study's results so that the analysis reads
/// its structure rather than guessing it: method, factors (key, low, high, scale) and the
/// method's settings given as (name, number) pairs.
std::string design_description(const std::string& method, const std::vector<Factor>& factors,
                               const std::vector<std::pair<std::string, double>>& settings);

}  // namespace interdict::scenario
