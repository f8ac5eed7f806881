// Interventions: scheduled enforcement actions against the network.
#pragma once

#include "model/ModelContext.hpp"
#include "model/Recovery.hpp"
#include "model/Transport.hpp"

namespace interdict::model {

/// The dismantling action (mechanism 5 as enforcement uses it): at its time, an intervention
/// destroys the listed relays, seizes the listed vessels (with any load aboard), arrests every
/// member of the listed cells, and arrests `arrests` more members drawn uniformly from the
/// users of the targets: members of the listed cells and of cells at places the listed relays
/// cover (all cells when nothing is listed). Each firing is logged through the Recorder.
class Interventions {
 public:
  Interventions(ModelContext& context, Recovery& recovery, Transport& transport);

 private:
  void on_fire(Simulation& sim, const Event& event);

  ModelContext& ctx_;
  Recovery& recovery_;
  Transport& transport_;
  RandomEngine rng_;
  HandlerId fire_{};
};

}  // namespace interdict::model
