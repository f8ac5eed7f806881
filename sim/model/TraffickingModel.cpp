// TraffickingModel: construction order of the mechanisms.
#include "model/TraffickingModel.hpp"

namespace interdict::model {

TraffickingModel::TraffickingModel(const ModelSpec& spec, Simulation& sim,
                                   const RandomStreams& streams, Recorder& recorder)
    : world_(spec),
      comms_(spec, world_.relays),
      context_{sim, world_, comms_, recorder, streams},
      planner_(context_),
      recovery_(context_),
      interdiction_(context_, recovery_),
      transport_(context_, planner_, interdiction_),
      interventions_(context_, recovery_, transport_),
      observation_(context_) {
  world_.clock = &sim;
  sim.stop_at(SimTime::days(spec.duration_days));
}

}  // namespace interdict::model
