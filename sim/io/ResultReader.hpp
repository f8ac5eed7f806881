// ResultReader: reads a run's HDF5 result file back (for `interdict inspect` and tests).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace interdict::io {

/// One dataset of a result file with its metadata.
struct StoredSeries {
  std::string name;
  std::string units;
  std::string description;
  std::vector<double> values;
};

/// The contents of a result file.
struct StoredResult {
  std::map<std::string, std::string> text_attributes;  // format, scenario_toml, created, ...
  std::map<std::string, double> number_attributes;     // format_version, seed, replicate, ...
  std::vector<double> time;
  std::vector<StoredSeries> series;   // /timeseries, without time itself
  std::vector<StoredSeries> summary;  // /summary, one value each

  /// The named time series; throws std::out_of_range if absent.
  const StoredSeries& series_named(const std::string& name) const;
  /// The named summary value; throws std::out_of_range if absent.
  double summary_value(const std::string& name) const;
};

/// Reads a result file. Throws FormatError naming the file if it cannot be read, is not an
/// interdict result (or is damaged) or has a newer format version than this build understands.
StoredResult read_result(const std::string& path);

}  // namespace interdict::io
