// StudyStore: HDF5 files holding many runs of a study (batches published by sweeps, and merges).
#pragma once

#include <cstdint>
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

/// Reads every run of a file written by write_runs. Throws on a foreign or newer file.
std::vector<RunRecord> read_runs(const std::string& path);

/// Only the keys and statuses of a file's runs (for resuming).
std::vector<std::pair<std::string, std::string>> read_run_status(const std::string& path);

}  // namespace interdict::io
