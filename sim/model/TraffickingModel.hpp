// TraffickingModel: shipments produced at sources, moved along routes, seized by patrols.
#pragma once

#include <cstdint>
#include <vector>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/ModelSpec.hpp"
#include "model/RouteNetwork.hpp"

namespace interdict::model {

/// Running totals. Quantities are whole kilograms so that conservation is exact:
/// produced = delivered + seized + in transit, always.
struct FlowTotals {
  std::int64_t produced_kg = 0;
  std::int64_t delivered_kg = 0;
  std::int64_t seized_kg = 0;
  std::int64_t in_transit_kg = 0;
  std::int64_t produced_count = 0;
  std::int64_t delivered_count = 0;
  std::int64_t seized_count = 0;
  std::int64_t in_transit_count = 0;
  double revenue_usd = 0.0;
  double delivery_days_sum = 0.0;  // over delivered shipments
};

/// The model slice of the walking skeleton. Mechanisms, each with its own event:
///  - production: each source emits shipments as a Poisson process, sizes lognormal in kg;
///  - transport: a shipment follows its source's fastest path to its market, one route at a
///    time, each traversal taking a fresh random travel time;
///  - interdiction: a patrol active on a route when a shipment sets off on it detects the
///    shipment with its detection probability; the seizure happens at a uniformly random
///    moment of the traversal;
///  - observation: every sample interval the totals go to the Recorder.
class TraffickingModel {
 public:
  /// Registers handlers and schedules the first events. `spec` must be validated (the
  /// scenario builder does this) and must outlive the model.
  TraffickingModel(const ModelSpec& spec, Simulation& sim, const RandomStreams& streams,
                   Recorder& recorder);

  /// Writes the end-of-run summary to the recorder. Call after Simulation::run().
  void finish();

  const FlowTotals& totals() const { return totals_; }
  /// The route indices a source's shipments follow.
  const std::vector<std::size_t>& path_of_source(std::size_t source) const {
    return paths_.at(source);
  }

  /// The sampled metrics, in the order they are recorded.
  static std::span<const MetricInfo> series();

 private:
  struct Shipment {
    std::uint32_t source = 0;
    std::uint32_t leg = 0;  // index into the source's path
    std::int64_t kg = 0;
    SimTime created;
  };

  void on_production(Simulation& sim, const Event& event);
  void on_leg_end(Simulation& sim, const Event& event);
  void on_seizure(Simulation& sim, const Event& event);
  void on_sample(Simulation& sim, const Event& event);

  void start_leg(Simulation& sim, std::uint32_t shipment);
  SimTime draw_travel_time(std::size_t route);
  std::uint32_t new_shipment(const Shipment& s);
  void end_shipment(std::uint32_t shipment);
  void check_conservation() const;

  const ModelSpec& spec_;
  Recorder& recorder_;
  std::vector<std::vector<std::size_t>> paths_;  // per source
  std::vector<std::vector<std::size_t>> patrols_on_route_;
  std::vector<Shipment> shipments_;
  std::vector<std::uint32_t> free_shipments_;
  FlowTotals totals_;

  std::vector<RandomEngine> arrival_rng_;    // per source
  std::vector<RandomEngine> size_rng_;       // per source
  std::vector<RandomEngine> travel_rng_;     // per route
  std::vector<RandomEngine> detection_rng_;  // per patrol
  boost::random::uniform_01<double> uniform_;

  HandlerId production_{};
  HandlerId leg_end_{};
  HandlerId seizure_{};
  HandlerId sample_{};
};

/// Parameters (mu, sigma) of the lognormal distribution with the given mean and sd.
std::pair<double, double> lognormal_parameters(double mean, double sd);

}  // namespace interdict::model
