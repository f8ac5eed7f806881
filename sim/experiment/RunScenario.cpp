// RunScenario: wires engine, random streams, model and recorder for one run.
#include "experiment/RunScenario.hpp"

#include <chrono>

#include "core/RandomStreams.hpp"
#include "core/Simulation.hpp"
#include "model/TraffickingModel.hpp"

namespace interdict::experiment {

namespace {

/// The result file's record of how the network measures were computed.
io::MeasureAttributes measure_attributes(const model::ModelSpec& spec,
                                         const model::MeasureRecord& record) {
  io::MeasureAttributes out;
  const bool all = spec.network_measures == model::ModelSpec::NetworkMeasures::all;
  out.method = !all || record.exact + record.sampled == 0 ? "not computed"
               : record.sampled == 0                      ? "exact"
               : record.exact == 0                        ? "sampled"
                                                          : "exact and sampled";
  out.exact_limit = spec.exact_measure_limit;
  out.confidence = model::kMeasureConfidence;
  out.sampled = record.sampled;
  out.largest_sample = record.largest_sample;
  out.efficiency_error = record.efficiency_error;
  out.betweenness_centralisation_error = record.betweenness_centralisation_error;
  return out;
}

}  // namespace

RunReport run_scenario(const scenario::Scenario& scenario, std::uint64_t seed,
                       std::uint64_t replicate, Recorder& recorder, unsigned measure_threads,
                       const std::atomic<bool>* interrupt) {
  const auto start = std::chrono::steady_clock::now();
  Simulation sim;
  const RandomStreams streams(seed, replicate);
  model::TraffickingModel model(scenario.model, sim, streams, recorder, measure_threads);
  const auto loop_start = std::chrono::steady_clock::now();
  sim.run(interrupt);
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

io::RunInfo run_info(const scenario::Scenario& scenario, std::uint64_t seed,
                     std::uint64_t replicate, const RunReport& report) {
  io::RunInfo info;
  info.scenario_name = scenario.name;
  info.scenario_path = scenario.path;
  info.scenario_text = scenario.text;
  info.scenario_resolved_text = scenario.resolved_text;
  for (const std::string& o : scenario.overrides)
    info.scenario_overrides += o + "\n";
  info.seed = seed;
  info.replicate = replicate;
  info.duration_days = scenario.model.duration_days;
  info.events_handled = report.events_handled;
  info.measures = measure_attributes(scenario.model, report.measures);
  return info;
}

}  // namespace interdict::experiment
