// ModelRun: runs a ModelSpec to its end in memory, for model and mechanism tests.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/TraffickingModel.hpp"
#include "scenario/Scenario.hpp"
#include "unit/LoggedInterventions.hpp"

namespace interdict::testing {

/// What a run recorded, and its final totals.
struct ModelRun {
  LogRecorder recorder;
  model::FlowTotals totals;

  /// The value of a series at the first sample at or after time t (days).
  double at(const std::string& series, double t) const {
    const auto& times = recorder.times();
    for (std::size_t i = 0; i < times.size(); ++i)
      if (times[i] >= t) return recorder.values(series)[i];
    return recorder.values(series).back();
  }

  /// The column `name` of the table `table` the run recorded; throws std::out_of_range if
  /// there is none.
  const Column& column(std::string_view table, std::string_view name) const {
    const Table* t = recorder.find_table(table);
    const Column* c = t ? t->column(name) : nullptr;
    if (c == nullptr)
      throw std::out_of_range("no column " + std::string(name) + " in " + std::string(table));
    return *c;
  }
};

/// The key table's defaults, read once: specs built in tests start from them, as generated and
/// read ones do.
inline const scenario::SpecDefaults& defaults() {
  static const scenario::SpecDefaults d = scenario::spec_defaults();
  return d;
}

/// An entry of type T with every parameter at its key-table default, then changed by `set`.
template <class T, class Set>
T entry(Set&& set) {
  const scenario::SpecDefaults& d = defaults();
  T e = [&]() -> T {
    using namespace model;
    if constexpr (std::is_same_v<T, PlaceSpec>) return d.place;
    if constexpr (std::is_same_v<T, RouteSpec>) return d.route;
    if constexpr (std::is_same_v<T, OrganisationSpec>) return d.organisation;
    if constexpr (std::is_same_v<T, CellSpec>) return d.cell;
    if constexpr (std::is_same_v<T, VesselSpec>) return d.vessel;
    if constexpr (std::is_same_v<T, RelaySpec>) return d.relay;
    if constexpr (std::is_same_v<T, MarketSpec>) return d.market;
    if constexpr (std::is_same_v<T, SourceSpec>) return d.source;
    if constexpr (std::is_same_v<T, AgencySpec>) return d.agency;
    if constexpr (std::is_same_v<T, PatrolSpec>) return d.patrol;
    if constexpr (std::is_same_v<T, BribeSpec>) return d.bribe;
  }();
  set(e);
  return e;
}

inline ModelRun run_model(const model::ModelSpec& spec, std::uint64_t seed = 1,
                          std::uint64_t replicate = 0) {
  ModelRun out;
  Simulation sim;
  model::TraffickingModel model(spec, sim, RandomStreams(seed, replicate), out.recorder);
  sim.run();
  model.finish();
  out.totals = model.totals();
  return out;
}

}  // namespace interdict::testing
