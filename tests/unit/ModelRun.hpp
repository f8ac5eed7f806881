// ModelRun: runs a ModelSpec to its end in memory, for model and mechanism tests.
#pragma once

#include <cstdint>
#include <string>

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/TraffickingModel.hpp"
#include "unit/LoggedInterventions.hpp"

namespace interdict::testing {

/// What a run recorded, and its final totals.
struct ModelRun {
  LogRecorder recorder;
  model::FlowTotals totals;

  /// The value of a series at the first sample at or after time t (days).
  double at(const std::string& series, double t) const {
    const auto& times = recorder.times();
    for (std::size_t i = 0; i < times.size(); ++i)
      if (times[i] >= t) return recorder.values(series)[i];
    return recorder.values(series).back();
  }
};

inline ModelRun run_model(const model::ModelSpec& spec, std::uint64_t seed = 1,
                          std::uint64_t replicate = 0) {
  ModelRun out;
  Simulation sim;
  model::TraffickingModel model(spec, sim, RandomStreams(seed, replicate), out.recorder);
  sim.run();
  model.finish();
  out.totals = model.totals();
  return out;
}

}  // namespace interdict::testing
