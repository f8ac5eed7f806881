// TraffickingModel: construction order of the mechanisms.
#include "model/TraffickingModel.hpp"

namespace interdict::model {

TraffickingModel::TraffickingModel(const ModelSpec& spec, Simulation& sim,
                                   const RandomStreams& streams, Recorder& recorder)
    : world_(spec),
      comms_(spec, world_.relays),
      context_{sim, world_, comms_, recorder, streams},
      planner_(context_),
      intelligence_(context_),
      recovery_(context_, intelligence_),
      interdiction_(context_, recovery_, intelligence_),
      transport_(context_, planner_, interdiction_),
      interventions_(context_, recovery_, transport_, intelligence_),
      observation_(context_, intelligence_, interventions_) {
  world_.clock = &sim;
  sim.stop_at(SimTime::days(spec.duration_days));
}

}  // namespace interdict::model
