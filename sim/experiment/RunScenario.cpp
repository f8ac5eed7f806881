// RunScenario: wires engine, random streams, model and recorder for one run.
#include "experiment/RunScenario.hpp"

#include <chrono>

#include "core/RandomStreams.hpp"
#include "core/Simulation.hpp"
#include "model/TraffickingModel.hpp"

namespace interdict::experiment {

RunReport run_scenario(const scenario::Scenario& scenario, std::uint64_t seed,
                       std::uint64_t replicate, Recorder& recorder, unsigned measure_threads) {
  const auto start = std::chrono::steady_clock::now();
  Simulation sim;
  const RandomStreams streams(seed, replicate);
  model::TraffickingModel model(scenario.model, sim, streams, recorder, measure_threads);
  const auto loop_start = std::chrono::steady_clock::now();
  sim.run();
  const auto loop_end = std::chrono::steady_clock::now();
  model.finish();
  RunReport report;
  report.events_handled = sim.events_handled();
  report.simulated_days = sim.now().in_days();
  report.measures = model.measure_record();
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.loop_seconds = std::chrono::duration<double>(loop_end - loop_start).count();
  report.setup_seconds = std::chrono::duration<double>(loop_start - start).count();
  return report;
}

}  // namespace interdict::experiment
