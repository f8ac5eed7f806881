// Observation: the sampled time series and the end-of-run summary of a model run.
#pragma once

#include <span>

#include "model/ModelContext.hpp"

namespace interdict::model {

/// Mechanism 8. Every sample interval (first at t = 0, priority late so every event at that
/// time has happened) records the metrics of series() through the Recorder, after checking
/// that kilograms and shipment counts are conserved.
class Observation {
 public:
  explicit Observation(ModelContext& context);

  /// Writes the end-of-run summary. Call after the run.
  void finish();

  /// The sampled metrics, in the order they are recorded.
  static std::span<const MetricInfo> series();

 private:
  void on_sample(Simulation& sim, const Event& event);
  /// The network's nodes, ties and the stops and resumptions of its nodes.
  NetworkRecord network_record() const;
  double radio_coverage();
  double routes_in_use(double now) const;

  ModelContext& ctx_;
  HandlerId sample_{};
  // radio_coverage() is recomputed only when the radio network or the active cells changed.
  std::uint64_t coverage_version_ = UINT64_MAX;
  double coverage_ = 0.0;
};

}  // namespace interdict::model
