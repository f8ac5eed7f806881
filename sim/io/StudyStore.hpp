// StudyStore: HDF5 files holding many runs of a study (batches published by sweeps, and merges).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/Recorder.hpp"

namespace interdict::io {

/// One finished (or failed) run of a study, with everything it recorded.
struct RunRecord {
  std::string key;
  std::string variant;
  std::vector<std::pair<std::string, std::string>> parameters;  // key path -> TOML value text
  std::uint64_t replicate = 0;
  std::uint64_t seed = 0;
  std::string status;  // "ok" or "failed"
  std::string error;   // why it failed
  std::vector<MetricInfo> summary_metrics;
  std::vector<double> summary;
  std::vector<double> time;
  std::vector<MetricInfo> series_metrics;
  std::vector<std::vector<double>> series;        // [metric][sample]
  std::vector<InterventionRecord> interventions;  // the run's intervention log
};

inline constexpr const char* kStudyFormatName = "interdict-study";
inline constexpr int kStudyFormatVersion = 2;  // 2: batches packed (docs/output-format.md)

/// Identity of the study a file belongs to, stored as root attributes.
struct StudyInfo {
  std::string name;
  std::string study_text;
  std::vector<std::string> parameter_names;
};

/// Writes runs to a temporary file beside PATH, then renames it to PATH, so a reader sees a
/// whole file or none.
/// Layout (docs/output-format.md): /runs, 1-D columns on dimension `run`; /timeseries, 2-D
/// (run, time) datasets, NaN-padded to the longest run.
/// `keep`: a file meant to be kept and opened in xarray (a merge): chunked, compressed, with
/// dimension scales; /interventions, every run's intervention log, a row per intervention
/// with the run's row number and key. Otherwise a sweep's batch, cheap to publish and read back by
/// interdict only.
void write_runs(const std::string& path, const StudyInfo& study, const std::vector<RunRecord>& runs,
                bool keep = true);

/// The values of a kept file's series, supplied one metric at a time rather than inside the
/// runs: fills `values` (runs x times, row-major, NaN on entry) with metric number `j` of the
/// union of the runs' series_metrics.
using SeriesSource =
    std::function<void(std::size_t j, const MetricInfo& metric, std::vector<double>& values)>;

/// write_runs (the kept layout) for runs that carry their metrics and time axes but no values
/// (as read_runs(path, false) gives them): each metric's (run, time) array comes from `series`
/// in turn, so memory holds a few metrics of all runs rather than every metric (merges of
/// large studies).
void write_runs(const std::string& path, const StudyInfo& study, const std::vector<RunRecord>& runs,
                const SeriesSource& series);

/// Reads every run of a file written by write_runs. Throws on a foreign or newer file.
/// Without `with_series`, every successful run gets the file's metrics and time axis but no
/// values (what a merge needs to plan its copy).
std::vector<RunRecord> read_runs(const std::string& path, bool with_series = true);

/// Whether `path` is an HDF5 file in the study format (false for anything else).
bool is_study_file(const std::string& path);

/// The study a file belongs to (its root attributes).
StudyInfo read_study_info(const std::string& path);

/// One metric of every run of a study file.
struct SeriesBlock {
  std::size_t runs = 0;
  std::size_t times = 0;       // the file's time axis
  std::vector<double> values;  // runs x times, row-major; empty if the file lacks the metric
};
SeriesBlock read_series(const std::string& path, const std::string& metric);

/// Only the keys and statuses of a file's runs (for resuming).
std::vector<std::pair<std::string, std::string>> read_run_status(const std::string& path);

}  // namespace interdict::io
