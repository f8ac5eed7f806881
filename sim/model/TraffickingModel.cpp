// TraffickingModel: the mechanisms built in list order, and the metrics they declare bound.
#include "model/TraffickingModel.hpp"

#include <type_traits>

namespace interdict::model {

namespace {

/// What a mechanism declares, for the mechanisms that declare it.
constexpr auto kSeries = []<class M>(std::type_identity<M>) requires requires {
  M::series();
}
{ return M::series(); };
constexpr auto kSummary = []<class M>(std::type_identity<M>) requires requires {
  M::summary();
}
{ return M::summary(); };

template <class Declared>
std::vector<MetricInfo> infos(Declared declared) {
  std::vector<MetricInfo> out;
  Mechanisms::each_type([&]<class M>(std::type_identity<M> m) {
    if constexpr (std::is_invocable_v<Declared, std::type_identity<M>>)
      append_infos(out, declared(m));
  });
  return out;
}

}  // namespace

TraffickingModel::TraffickingModel(const ModelSpec& spec, Simulation& sim,
                                   const RandomStreams& streams, Recorder& recorder,
                                   unsigned measure_threads)
    : world_(spec),
      comms_(spec, world_.relays),
      measurer_(spec,
                RandomStreams::stream_seed(streams.seed(), streams.replicate(), "network_measures"),
                measure_threads),
      context_{sim, world_, comms_, measurer_, recorder, streams, {}, nullptr},
      mechanisms_(context_),
      series_(bind(kSeries)),
      summary_(bind(kSummary)),
      observation_(context_, series_, summary_) {
  world_.clock = &sim;
  world_.signals = &context_.signals;
  // The radio network recomputes its links and coverage when a relay goes down or comes up.
  context_.signals.relay_changed.connect([this](std::size_t, bool) { comms_.mark_changed(); });
  context_.series = &series_;
  sim.stop_at(SimTime::days(spec.duration_days));
}

std::vector<MetricInfo> TraffickingModel::series() {
  return infos(kSeries);
}

std::vector<MetricInfo> TraffickingModel::summary() {
  return infos(kSummary);
}

template <class Declared>
MetricTable TraffickingModel::bind(Declared declared) {
  MetricTable table;
  Mechanisms::each_type([&]<class M>(std::type_identity<M> m) {
    if constexpr (std::is_invocable_v<Declared, std::type_identity<M>>)
      table.declare(mechanisms_.get<M>(), declared(m));
  });
  return table;
}

}  // namespace interdict::model
