// ResultWriter: a Recorder that writes one run's results to an HDF5 file, atomically.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Recorder.hpp"

namespace interdict::io {

/// How the run's cell networks got their efficiency and betweenness centralisation, stored as
/// root attributes (docs/output-format.md); not written when `method` is empty.
struct MeasureAttributes {
  std::string method;  // "exact", "sampled", "exact and sampled" or "not computed"
  std::uint64_t exact_limit = 0;
  double confidence = 0.0;
  std::uint64_t sampled = 0;         // networks measured from a sample
  std::uint64_t largest_sample = 0;  // pairs of cells
  double efficiency_error = 0.0;     // the largest bound stated for a sampled value
  double betweenness_centralisation_error = 0.0;
};

/// Identity of a run, stored as root attributes of its result file.
struct RunInfo {
  std::string scenario_name;
  std::string scenario_path;
  std::string scenario_text;
  std::string scenario_resolved_text;  // merged with its base scenarios; empty without one
  std::string scenario_overrides;      // the --set assignments, one per line
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
  double duration_days = 0.0;
  std::uint64_t events_handled = 0;
  MeasureAttributes measures;
};

/// Name and version of the file layout described in docs/output-format.md.
inline constexpr const char* kFormatName = "interdict-result";
inline constexpr int kFormatVersion = 1;

/// Buffers what the model records, then commit() writes PATH.tmp and renames it to PATH,
/// so a crash or an error never leaves a file that looks complete. Nothing is written
/// unless commit() is called.
class ResultWriter : public MemoryRecorder {
 public:
  explicit ResultWriter(std::string path) : path_(std::move(path)) {}

  /// Writes the file. Throws Hdf5Error (and leaves no file at path) on failure.
  void commit(const RunInfo& info) const;

  /// The bytes commit() would write, made in memory (HDF5's core driver) without touching the
  /// file system: what Python's `interdict.run` opens with h5py.
  std::vector<unsigned char> image(const RunInfo& info) const;

  /// Publishes bytes made by image() as the file, as commit() does (PATH.tmp renamed to PATH),
  /// so that the file and the bytes are the same. Throws std::runtime_error on failure.
  void commit_image(const std::vector<unsigned char>& bytes) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Keeps libhdf5 from closing files in an exit handler. Call first thing in main(): a file whose
/// flush failed (a full disk) stays half-open inside HDF5 1.10, and closing it again at exit
/// crashes the process after the error was reported. The operating system releases it anyway.
void detach_hdf5_from_exit();

}  // namespace interdict::io
