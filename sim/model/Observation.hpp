// Observation: the sampled time series and the end-of-run summary of a model run.
#pragma once

#include <array>
#include <span>

#include "graph/Graph.hpp"
#include "model/Intelligence.hpp"
#include "model/Interventions.hpp"
#include "model/ModelContext.hpp"

namespace interdict::model {

/// Mechanism 8. Every sample interval (first at t = 0, priority late so every event at that
/// time has happened) computes the metrics of series() and records them (or those that
/// output.series chose) through the Recorder, after checking that kilograms and shipment
/// counts are conserved.
class Observation {
 public:
  Observation(ModelContext& context, Intelligence& intelligence, Interventions& interventions);

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
  Intelligence& intelligence_;
  Interventions& interventions_;
  std::uint64_t true_version_ = UINT64_MAX;  // the true network's measures, kept until it changes
  std::array<double, 8> true_measures_{};
  std::uint64_t known_version_ = UINT64_MAX;  // when the last picture was taken, and until when
  double known_delay_ = -1.0;                 // it holds
  double known_valid_until_ = -kNever;
  graph::NodeMask known_cells_;  // the last picture and its measures
  std::vector<graph::Tie> known_ties_;
  std::array<double, 8> known_measures_{};
  HandlerId sample_{};
  std::vector<double> recorded_values_;  // the chosen series of a sample (output.series)
  // radio_coverage() is recomputed only when the radio network or the active cells changed.
  std::uint64_t coverage_version_ = UINT64_MAX;
  double coverage_ = 0.0;
};

}  // namespace interdict::model
