// StudyStore: HDF5 files holding many runs of a study (batches published by sweeps, and merges).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/DesignPoint.hpp"
#include "core/Recorder.hpp"
#include "core/Table.hpp"

namespace interdict::io {

/// One finished (or failed) run of a study, with everything it recorded.
struct RunRecord {
  std::string key;
  std::string variant;
  std::vector<std::pair<std::string, std::string>> parameters;  // key path -> TOML value text
  std::uint64_t replicate = 0;
  std::uint64_t seed = 0;
  DesignPoint design;  // its point's place in a sensitivity design (index -1: none)
  std::string status;  // "ok" or "failed"
  std::string error;   // why it failed
  /// What the run is, as a digest of everything its results depend on (resolved scenario text,
  /// overrides, seed, replicate, random-stream scheme, software version): two runs with one key
  /// and different identities belong to different studies and must never be mixed.
  std::string identity;
  std::vector<MetricInfo> summary_metrics;
  std::vector<double> summary;
  std::vector<double> time;
  std::vector<MetricInfo> series_metrics;
  std::vector<std::vector<double>> series;  // [metric][sample]
  /// The run's intervention log, as its model reported it (no columns for a failed run).
  Table interventions;
};

inline constexpr const char* kStudyFormatName = "interdict-study";
/// The newest layout this interdict reads and writes (docs/output-format.md): 2, batches packed;
/// 3, a sensitivity design (attribute `design`, /runs/design_* columns); 4, kept files (merges)
/// label runs by key, with variant, replicate and parameters as coordinates and integers as
/// int64. Batches and manifests are written as version 2 (3 with a design): their layout did
/// not change.
inline constexpr int kStudyFormatVersion = 4;

/// Identity of the study a file belongs to, stored as root attributes.
struct StudyInfo {
  std::string name;
  std::string study_text;
  std::vector<std::string> parameter_names;
  std::string design{};  // a sensitivity design as JSON (root attribute `design`); empty: none
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

/// Publishes a sweep's batch in `directory`: written whole to a temporary file, then renamed to
/// runs-<first run key>-<digest>.h5, where the digest (XXH3-64 of the file's bytes) is its
/// checksum. A file already under that name holds the same bytes, so publishing never replaces
/// other runs. Returns the batch's path; on failure removes the temporary file and throws.
std::string publish_batch(const std::string& directory, const StudyInfo& study,
                          const std::vector<RunRecord>& runs);

/// Whether a batch's bytes match the digest in its name (checked before HDF5 opens it, since
/// libhdf5 may crash or hang on a damaged file). Names without a digest, written by older
/// versions, cannot be checked and count as intact. Throws if the file cannot be read.
bool batch_intact(const std::string& path);

/// Whether a manifest's bytes match the digest kept beside it in PATH.xxh3 (true for a manifest
/// written before digests, which has none). Throws if the manifest cannot be read.
bool manifest_intact(const std::string& path);

/// Publishes a sweep's manifest at `path` (packed layout) with its digest beside it in
/// PATH.xxh3, the digest written first. Replaces a manifest already there (a grown study)
/// atomically: until the new one is in place, PATH.xxh3 names both digests.
void write_manifest(const std::string& path, const StudyInfo& study,
                    const std::vector<RunRecord>& runs);

/// "VERSION GIT-COMMIT" of the interdict that wrote a study file.
std::string read_software_version(const std::string& path);

/// Whether a directory entry is a temporary file of an unfinished write (*.h5.tmp.*).
bool is_temporary(const std::string& name);

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
