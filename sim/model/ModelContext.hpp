// ModelContext: what every mechanism of the model shares during a run.
#pragma once

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/CommunicationNetwork.hpp"
#include "model/World.hpp"

namespace interdict::model {

/// References handed to each mechanism: the engine, the state, the radio network, the
/// recorder and the random streams (each mechanism names its own).
struct ModelContext {
  Simulation& sim;
  World& world;
  CommunicationNetwork& comms;
  Recorder& recorder;
  const RandomStreams& streams;

  const ModelSpec& spec() const { return world.spec; }
  double now() const { return sim.now().in_days(); }
};

}  // namespace interdict::model
