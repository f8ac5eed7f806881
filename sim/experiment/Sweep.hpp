// Sweep: runs every run of a study on this machine's cores, publishing results in batches.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/StudyStore.hpp"
#include "io/SweepLock.hpp"
#include "scenario/InputError.hpp"
#include "scenario/Study.hpp"

namespace interdict::experiment {

/// Which slice of the plan this process runs: run i belongs to shard i mod count.
struct Shard {
  unsigned index = 0;
  unsigned count = 1;
};

struct SweepOptions {
  std::string directory;
  unsigned workers = 1;
  Shard shard{};
  bool resume = false;
  std::size_t batch_runs = 256;  // publish a batch after this many runs ...
  double batch_seconds = 30.0;   // ... or this many seconds, whichever comes first
  /// Under MPI, the most runs rank 0 hands a rank at once; 0 adapts: a rank asking gets
  /// remaining / (2 x ranks) runs, at least 1 and at most 64 (guided self-scheduling), so
  /// requests are few while much is left and chunks shrink to single runs at the end.
  std::size_t mpi_chunk = 0;
  /// Called with (done, failed, total) as runs finish; from one thread at a time.
  std::function<void(std::size_t, std::size_t, std::size_t)> progress;
  /// When raised (from another thread: Ctrl-C in Python), workers abandon the runs in progress,
  /// take no more and publish what finished: the sweep ends early, resumable. Not under MPI.
  const std::atomic<bool>* interrupt = nullptr;
};

struct SweepReport {
  std::size_t planned = 0;    // runs in the whole plan
  std::size_t assigned = 0;   // runs of this shard
  std::size_t skipped = 0;    // already published (resume)
  std::size_t added = 0;      // runs a grown study added to the directory's plan
  std::size_t recovered = 0;  // runs of killed sweeps' journals published on resume
  std::size_t damaged = 0;    // batches set aside on resume because their bytes changed
  std::size_t done = 0;
  std::size_t failed = 0;
  double seconds = 0.0;  // wall time of the sweep
  // Time the workers spent writing, summed over workers (with MPI, this rank's):
  double journal_seconds = 0.0;  // appending finished runs to their journals
  double publish_seconds = 0.0;  // writing HDF5 batches, waiting for the HDF5 lock included
};

/// Moves what a finished run recorded (series, summary, intervention log) into `record`, with
/// status ok.
void take_results(MemoryRecorder& recorder, io::RunRecord& record);

/// Runs the study's runs of `options.shard` with `options.workers` threads. Each finished run
/// is appended to its worker's journal (DIRECTORY/journal-*.bin) at once, and results are
/// published in batches as DIRECTORY/runs-<first run key>.h5 files, each whole (write to .tmp,
/// rename), after which the journal is deleted; `resume` first publishes the journals a killed
/// sweep left, so a kill loses only the runs in progress;
/// DIRECTORY/manifest.h5 holds the study text and the whole plan. With `resume`, runs already
/// published with status ok are skipped (failed ones run again). A run's results depend only on
/// its scenario, overrides, seed and replicate: never on workers, shards or order.
/// Throws scenario::InputError if DIRECTORY holds another study, std::runtime_error on I/O.
SweepReport run_sweep(const scenario::Study& study, const SweepOptions& options);

/// Thrown by plan_sweep when another sweep holds the directory (or this shard of it).
class DirectoryInUse : public scenario::InputError {
 public:
  using scenario::InputError::InputError;
};

/// Thrown on the ranks other than 0 of an MPI sweep that stops on an error: rank 0 (or the rank
/// that failed) has said why; `exit_code` is the status to end with.
class SweepAbandoned : public std::runtime_error {
 public:
  explicit SweepAbandoned(int exit_code)
      : std::runtime_error("the sweep stopped on another rank"), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

/// Runs the sweep across the ranks of an MPI job (mpirun -n N interdict sweep ...): rank 0
/// hands out runs one at a time to whichever rank asks (and computes too), each rank writes
/// its own batch files, and rank 0 reports progress. Rank 0 alone plans the sweep and sends the
/// others the runs to do. Initialises and finalises MPI, also when a rank fails: the sweep then
/// stops on every rank (rank 0 throws the failure; the others SweepAbandoned). Returns the
/// totals over all ranks on rank 0 (and this rank's on the others), with `rank` set.
SweepReport run_sweep_mpi(const scenario::Study& study, const SweepOptions& options, int& rank);

/// MPI for a process that runs several sweeps (a calibration): initialised once here and
/// finalised when destroyed; run_sweep_mpi then neither initialises nor finalises it.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }

 private:
  int rank_ = 0;
};

/// Within an MpiSession: returns once every rank has called it.
void mpi_barrier();

/// Within an MpiSession, once every rank has come here: rank 0's `values` on every rank. When
/// rank 0 passes `ok` false (it failed), the other ranks throw SweepAbandoned.
void share_from_rank_zero(std::vector<double>& values, bool ok);

/// Whether this process was started by an MPI launcher with more than one rank.
bool launched_by_mpi();

/// Writes the study's plan, every run with status "planned" (and its place in a sensitivity
/// design), to `path` in the manifest's layout, without running anything: `interdict plan
/// --write`, for analyses that need only the design.
void write_plan(const scenario::Study& study, const std::string& path);

/// The runs a sweep process has to do, after shards and resume.
struct SweepPlan {
  std::optional<io::SweepLock> lock;  // this sweep's hold on the directory
  SweepReport report;
  std::vector<const scenario::StudyRun*> todo;
  unsigned workers = 1;  // workers taking runs from `todo`: threads, or MPI ranks
};

/// Takes the directory for this shard (refusing, with scenario::InputError, when another sweep
/// of it runs), writes the manifest or checks that every run it plans is still the study's, as
/// it is now (same key, same identity); a study that has grown (more replicates, variants, grid
/// values) rewrites it with the grown plan, unless a sweep of the plan as it was still runs.
/// Removes stale temporary files, and with resume sets damaged batches aside, publishes killed
/// sweeps' journals and reads what is published; then lists the runs left to do.
SweepPlan plan_sweep(const scenario::Study& study, const SweepOptions& options);

/// After the runs: removes stale temporary files if no other sweep works in the directory.
void finish_sweep(const SweepPlan& plan, const SweepOptions& options);

/// Worker number `worker` (of plan.workers): takes indices into plan.todo from `next_index`
/// (increasing over all workers) until it returns nullopt, runs them, reports each to
/// `finished` and publishes its results in batches, adding the time spent writing to
/// `report`'s journal_seconds and publish_seconds.
void run_worker(const scenario::Study& study, const SweepOptions& options, const SweepPlan& plan,
                unsigned worker, const std::function<std::optional<std::size_t>()>& next_index,
                const std::function<void(const io::RunRecord&)>& finished, SweepReport& report);

/// What a sweep directory holds: the plan, and the published result of each run that has one.
struct PublishedStudy {
  std::vector<io::RunRecord> plan;   // the manifest's, in plan order
  std::vector<std::string> files;    // the intact batch files
  std::vector<std::string> damaged;  // batch files whose bytes do not match their digest
  std::vector<std::string> foreign;  // "file (run KEY)": a run whose identity is not the plan's
  struct Result {
    io::RunRecord run;  // without its series (read_runs(..., false))
    std::size_t file = 0, row = 0;
  };
  /// By run key: one copy of each run, a success over a failure, else the latest file's.
  std::map<std::string, Result> results;
};

/// Reads a sweep directory's manifest and batches, checking every batch's bytes against its
/// digest before HDF5 opens it, and every run against the identity the manifest plans. Throws
/// scenario::InputError if DIRECTORY has no manifest, std::runtime_error if it is damaged.
PublishedStudy read_published(const std::string& directory);

struct MergeReport {
  std::size_t planned = 0;
  std::size_t merged = 0;
  std::vector<std::string> missing;  // planned run keys with no successful result
};

/// Collects every published run of DIRECTORY into `output` (plan order). Refuses, writing
/// nothing, when planned runs are missing or failed (`missing` names them), and throws when a
/// batch is damaged or holds runs of another study.
MergeReport merge_study(const std::string& directory, const std::string& output);

}  // namespace interdict::experiment
