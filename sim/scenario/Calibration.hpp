// Calibration: a calibration file read and checked: which scenario, which keys are free (with
// their priors), and which observed statistics the runs must match.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "scenario/ScenarioKeys.hpp"

namespace interdict::scenario {

/// A prior distribution of one free parameter. Bounds are infinite where the prior has none; a
/// normal prior with finite bounds is truncated to them.
struct Prior {
  enum class Kind { uniform, log_uniform, normal };
  Kind kind = Kind::uniform;
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  double mean = 0.0;  // normal
  double sd = 1.0;    // normal
};

struct CalibrationParameter {
  std::string key;  // a scenario key path, e.g. "sources[0].rate"
  Prior prior;
  bool integer = false;  // an integer key: values are rounded when a run is set up
};

/// What a target measures of one run's time series over a window of days.
enum class Statistic {
  mean,            // mean of the samples in the window
  total,           // change of a cumulative series over the window
  final_value,     // the last sample in the window
  rate_per_month,  // total / window length x 30.4375 days
  share            // total of the metric / total of the metrics in `of`
};

struct CalibrationTarget {
  std::string name;
  std::string metric;
  Statistic statistic = Statistic::mean;
  std::vector<std::string> of;    // share: the metrics whose total is the whole
  double start = 0.0, end = 0.0;  // days; end is the run's duration unless given
  double observed = 0.0;
  double sd = 1.0;  // uncertainty of the observed value (the distance's unit)
};

/// A loaded calibration file.
struct Calibration {
  std::string path;
  std::string text;
  std::string name;
  std::string description;
  std::string scenario_path;  // resolved against the calibration file's folder
  std::string scenario_text;
  /// "key=value" applied to every run: a study variant's overrides, then [calibration] set,
  /// then output.series narrowed to the metrics the targets read.
  std::vector<std::string> overrides;
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationTarget> targets;
  std::uint64_t particles = 0;
  std::uint64_t replicates = 1;
  std::uint64_t generations = 1;
  std::uint64_t seed = 1;
  double quantile = 0.5;
  double min_acceptance = 0.0;
  double tolerance = 0.0;
  std::uint64_t max_runs = 0;
  std::uint64_t predictive = 0;
};

/// Reads a calibration file and checks it against its scenario: every free key exists and
/// takes every value its prior allows, every target's metric is a series and its window lies in
/// the run. Throws InputError naming the file, line, column and key.
Calibration load_calibration(const std::string& path);

/// Every key a calibration file may contain.
std::span<const KeySpec> calibration_keys();

/// Name of a statistic as written in a calibration file.
std::string statistic_name(Statistic statistic);

}  // namespace interdict::scenario
