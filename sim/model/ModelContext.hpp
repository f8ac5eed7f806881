// ModelContext: what every mechanism of the model shares during a run.
#pragma once

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/CommunicationNetwork.hpp"
#include "model/Metrics.hpp"
#include "model/NetworkMeasures.hpp"
#include "model/Signals.hpp"
#include "model/World.hpp"

namespace interdict::model {

/// References handed to each mechanism: the engine, the state, the radio network, the measures
/// of cell networks, the recorder and the random streams (each mechanism names its own).
struct ModelContext {
  Simulation& sim;
  World& world;
  CommunicationNetwork& comms;
  NetworkMeasurer& measurer;
  Recorder& recorder;
  RandomStreams streams;  // a copy (16 bytes): streams are made lazily during the run
  ModelSignals signals;
  /// The series every mechanism declares, bound once the mechanisms are built (before the run).
  const MetricTable* series = nullptr;
  /// Event announcing that a carrier may have become free (target: organisation, payload:
  /// 2 x place + 1 for a vessel, + 0 for a cell); Transport wakes the loads queued for it.
  HandlerId carrier_freed{};

  const ModelSpec& spec() const { return world.spec; }
  /// Announces that organisation `org` may have a free cell transporter (or vessel) at `place`.
  void announce_carrier(std::size_t org, std::size_t place, bool vessel = false) {
    sim.schedule_in(SimTime::zero(), carrier_freed, static_cast<std::uint32_t>(org),
                    2 * place + (vessel ? 1 : 0));
  }
  double now() const { return sim.now().in_days(); }
  /// Schedules tick `index` of a regular schedule (the event's payload) at index x interval
  /// days, so that no rounding accumulates over a long run, unless that is past the end.
  void schedule_tick(HandlerId handler, std::uint64_t index, double interval, Priority priority) {
    const double day = static_cast<double>(index) * interval;
    if (day <= spec().duration_days) sim.schedule(SimTime::days(day), handler, 0, index, priority);
  }
};

}  // namespace interdict::model
