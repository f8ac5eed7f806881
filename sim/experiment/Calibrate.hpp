// Calibrate: approximate Bayesian computation by sequential Monte Carlo (ABC-SMC) over a
// scenario's free parameters, each generation's particles run as studies through the sweep
// machinery (threads, MPI ranks or SLURM array tasks), so a calibration is independent of
// workers and ranks and resumes after a kill.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "experiment/Sweep.hpp"
#include "io/StudyStore.hpp"
#include "scenario/Calibration.hpp"

namespace interdict::experiment {

struct CalibrationOptions {
  std::string directory;
  unsigned workers = 1;  // threads per process
  Shard shard{};         // SLURM array task: this task's slice of every batch (see run_calibration)
  bool resume = false;   // continue the calibration DIRECTORY holds
  bool mpi = false;      // run every batch across the ranks of an MPI job
  /// One line per batch and generation (called on rank 0 only).
  std::function<void(const std::string&)> log;
};

struct CalibrationReport {
  std::size_t generations = 0;  // finished
  std::uint64_t runs = 0;       // planned over the calibration, replicates included
  std::string stopped;          // why the last generation was the last
  std::string output;           // DIRECTORY/calibration.h5
  int rank = 0;                 // under MPI
};

/// The statistic `target` asks for of one run's time series; NaN when undefined (a failed run,
/// a share of nothing). Windows are read at the recorded samples: the last sample at or before
/// `start` and the last at or before `end`.
double target_statistic(const scenario::CalibrationTarget& target, const io::RunRecord& run);

/// Runs the calibration into DIRECTORY: DIRECTORY/calibration.toml (the file calibrated),
/// DIRECTORY/gGG/bBBB (each batch of particles, a sweep directory), DIRECTORY/calibration.h5
/// (every finished generation, rewritten whole after each) and DIRECTORY/predictive-gGG-nN (the
/// N posterior-predictive runs from generation GG, merged into its merged.h5; named in
/// calibration.h5's attribute predictive_directory).
///
/// Everything is decided from the calibration's seed and the published results of earlier
/// batches, so a calibration killed anywhere resumes (`resume`) by running what is missing,
/// and gives the same particles on any number of workers, ranks or array tasks. With a shard,
/// the task runs its slice of each batch, then the slices of tasks that are not running (a
/// killed or late task's), and waits for the rest. Throws scenario::InputError when DIRECTORY
/// holds something else (or a calibration without `resume`). A calibration may be resumed with
/// a file that differs only in its stopping rules and predictive runs (to run more generations).
CalibrationReport run_calibration(const scenario::Calibration& calibration,
                                  const CalibrationOptions& options);

}  // namespace interdict::experiment
