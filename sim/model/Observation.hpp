// Observation: the sampled time series and the end-of-run summary of a model run.
#pragma once

#include <optional>
#include <vector>

#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"
#include "model/NetworkTables.hpp"

namespace interdict::model {

/// Mechanism 8. Every sample interval (first at t = 0, priority late so every event at that
/// time has happened) checks that kilograms and shipment counts are conserved, reads the series
/// the mechanisms declared, records them (or those that output.series chose) through the
/// Recorder and announces the sample (ModelSignals::sample_taken). At the end of the run it
/// records the declared summary values and, if the recorder wants them, the network tables,
/// whose log of seizures and flows it keeps during the run (only then: a study's runs keep none).
class Observation {
 public:
  /// `series` and `summary` must outlive the Observation.
  Observation(ModelContext& context, const MetricTable& series, const MetricTable& summary);

  /// Writes the end-of-run summary. Call after the run.
  void finish();

 private:
  void on_sample(Simulation& sim, const Event& event);

  ModelContext& ctx_;
  const MetricTable& series_;
  const MetricTable& summary_;
  HandlerId sample_{};
  std::vector<double> values_;             // the last sample of every series
  std::vector<double> recorded_values_;    // the chosen series of a sample (output.series)
  std::optional<NetworkLog> network_log_;  // if the recorder wants the network tables
};

}  // namespace interdict::model
