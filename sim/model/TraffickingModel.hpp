// TraffickingModel: the whole model, wiring state and mechanisms onto one Simulation.
#pragma once

#include <memory>
#include <span>

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/Command.hpp"
#include "model/CommunicationNetwork.hpp"
#include "model/Corruption.hpp"
#include "model/Intelligence.hpp"
#include "model/Interdiction.hpp"
#include "model/Interventions.hpp"
#include "model/Market.hpp"
#include "model/MechanismList.hpp"
#include "model/ModelSpec.hpp"
#include "model/NetworkMeasures.hpp"
#include "model/Observation.hpp"
#include "model/Recovery.hpp"
#include "model/RoutePlanner.hpp"
#include "model/StashRaids.hpp"
#include "model/Transport.hpp"
#include "model/World.hpp"

namespace interdict::model {

/// The mechanisms, in the order they are built (see docs/model.md and docs/architecture.md).
/// Each registers its handlers, connects to the signals it listens to and schedules its first
/// events when built, so this order is also the order in which listeners hear a signal; each
/// may be built from those before it (its `Needs`). The series and end-of-run values they
/// declare are recorded in this order too. A new mechanism is a file pair and one entry here.
using Mechanisms = MechanismList<Market,         // prices that answer supply
                                 Corruption,     // officials paid to look away and warn
                                 Command,        // whether organisations have command
                                 RoutePlanner,   // route choice and risk learning
                                 Intelligence,   // enforcement's picture of the network
                                 Recovery,       // arrests, recruitment, replacement, rebuilding
                                 Interdiction,   // detection, intelligence windows, budgets
                                 Transport,      // production, carriers, coordination, legs
                                 Interventions,  // triggers, actions, targeting
                                 StashRaids>;    // raids on places where loads wait

/// Owns the runtime state, the mechanisms and Observation, which samples what the mechanisms
/// declare; construction registers handlers and schedules the first events.
class TraffickingModel {
 public:
  /// `spec` must be validated (the scenario builder does this) and outlive the model.
  /// `measure_threads` share the searches of sampled network measures (which do not depend on
  /// it): the machine's cores for a run alone, 1 where runs already share the cores.
  TraffickingModel(const ModelSpec& spec, Simulation& sim, const RandomStreams& streams,
                   Recorder& recorder, unsigned measure_threads = 1);

  /// Writes the end-of-run summary to the recorder. Call after Simulation::run().
  void finish() { observation_.finish(); }

  /// Every series the mechanisms declare, in the order they are sampled and recorded.
  static std::vector<MetricInfo> series();
  /// Every end-of-run value the mechanisms declare, in the order they are recorded.
  static std::vector<MetricInfo> summary();

  const FlowTotals& totals() const { return world_.totals; }
  /// The model's signals, for listeners from outside the model (tests, probes); connect before
  /// Simulation::run().
  ModelSignals& signals() { return context_.signals; }
  const World& world() const { return world_; }
  const Intelligence& intelligence() const { return mechanisms_.get<Intelligence>(); }
  /// How the cell networks' efficiency and betweenness centralisation were computed so far.
  const MeasureRecord& measure_record() const { return measurer_.record(); }
  /// The route indices the shipments of an independent source follow.
  const std::vector<std::size_t>& path_of_source(std::size_t source) const {
    return world_.paths.at(mechanisms_.get<RoutePlanner>().fixed_path(source));
  }

 private:
  World world_;
  CommunicationNetwork comms_;
  NetworkMeasurer measurer_;
  ModelContext context_;
  Mechanisms mechanisms_;
  MetricTable series_;   // the mechanisms' series, bound to them
  MetricTable summary_;  // their end-of-run values
  Observation observation_;

  /// Binds what `declared` lists of each mechanism that declares it (its series, or its summary),
  /// in list order.
  template <class Declared>
  MetricTable bind(Declared declared);
};

}  // namespace interdict::model
