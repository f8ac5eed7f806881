// RunScenario: one run of a loaded scenario, from model construction to a committed result.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "core/Recorder.hpp"
#include "io/ResultWriter.hpp"
#include "model/NetworkMeasures.hpp"
#include "scenario/Scenario.hpp"

namespace interdict::experiment {

/// What a run did, for reports.
struct RunReport {
  std::uint64_t events_handled = 0;
  double simulated_days = 0.0;
  double wall_seconds = 0.0;      // model construction, the run and the summary
  double loop_seconds = 0.0;      // Simulation::run alone
  double setup_seconds = 0.0;     // building the model before the run
  model::MeasureRecord measures;  // how network measures were computed
};

/// Builds the model on a fresh Simulation, runs it to the scenario's end and reports to
/// `recorder`. Deterministic given (scenario, seed, replicate): `measure_threads` (sharing the
/// searches of sampled network measures) changes only how long it takes. Throws RunInterrupted
/// when `interrupt` is raised during the run (it is not looked at while the model is built).
RunReport run_scenario(const scenario::Scenario& scenario, std::uint64_t seed,
                       std::uint64_t replicate, Recorder& recorder, unsigned measure_threads = 1,
                       const std::atomic<bool>* interrupt = nullptr);

/// The identity of a finished run as its result file stores it (root attributes).
io::RunInfo run_info(const scenario::Scenario& scenario, std::uint64_t seed,
                     std::uint64_t replicate, const RunReport& report);

}  // namespace interdict::experiment
