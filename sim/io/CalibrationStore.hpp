// CalibrationStore: the HDF5 file of a calibration (DIR/calibration.h5): every generation's
// particles, weights, distances and simulated statistics, laid out for xarray.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace interdict::io {

inline constexpr const char* kCalibrationFormatName = "interdict-calibration";
inline constexpr int kCalibrationFormatVersion = 1;

/// One finished generation of a calibration.
struct CalibrationGeneration {
  double epsilon = 0.0;           // tolerance (infinite for the first generation)
  double acceptance_rate = 0.0;   // particles kept / particles simulated
  double ess = 0.0;               // effective sample size of the weights
  std::uint64_t simulated = 0;    // particles simulated
  std::uint64_t runs = 0;         // runs, replicates included
  std::uint64_t failed = 0;       // particles with a failed run or an undefined statistic
  std::vector<double> theta;      // particle x parameter, row-major
  std::vector<double> weight;     // particle (summing to 1)
  std::vector<double> distance;   // particle
  std::vector<double> statistic;  // particle x target: means over replicates
};

/// What calibration.h5 holds.
struct CalibrationFile {
  std::string name;
  std::string calibration_text;
  std::string scenario_text;
  std::string stopped;  // why the last generation was the last
  std::uint64_t particles = 0;
  std::uint64_t replicates = 0;
  std::vector<std::string> parameters;  // scenario key paths
  std::vector<std::string> priors;      // e.g. "uniform(0.5, 3)"
  std::vector<std::string> targets;     // target names
  std::vector<std::string> target_metrics;
  std::vector<std::string> statistics;  // of each target
  std::vector<double> observed, observed_sd;
  std::vector<CalibrationGeneration> generations;
  std::string predictive_directory;  // under the calibration's directory; empty if none ran
  /// Posterior-predictive runs: particles drawn by weight from the last generation, run once
  /// more with new random numbers.
  std::vector<double> predictive_theta;      // run x parameter
  std::vector<double> predictive_statistic;  // run x target
};

/// Writes `file` to `path` whole (a temporary beside it, then a rename). Layout
/// (docs/output-format.md): dimension scales generation, particle, parameter and target;
/// theta (generation, particle, parameter), weight, distance (generation, particle), statistic
/// (generation, particle, target), per-generation epsilon, acceptance_rate, ess, simulated, runs,
/// failed; observed and observed_sd (target); prior (parameter); predictive_theta
/// (predictive_run, parameter) and predictive_statistic (predictive_run, target).
void write_calibration(const std::string& path, const CalibrationFile& file);

}  // namespace interdict::io
