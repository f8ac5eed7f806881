// Actions: what each kind of intervention does when it fires, and how it picks its targets.
#pragma once

#include <string>
#include <vector>

#include "graph/Graph.hpp"
#include "model/Corruption.hpp"
#include "model/Intelligence.hpp"
#include "model/ModelContext.hpp"
#include "model/Recovery.hpp"
#include "model/Transport.hpp"

namespace interdict::model {

/// What an action uses when it is applied: the mechanisms it commands, the selection of
/// targets on the network enforcement knows (or the true one), and what its agency can afford.
struct ActionTools {
  ModelContext& ctx;
  Corruption& corruption;
  Recovery& recovery;
  Transport& transport;
  Intelligence& intelligence;
  LazyStream& targeting_rng;         // seeds of the strategies' random choices
  LazyStream& arrests_rng;           // who further arrests take
  std::size_t intervention = kNone;  // the intervention being applied
  std::size_t agency = kNone;        // of the intervention being applied
  int affordable_arrests = 0;        // arrests its agency can pay for

  /// Up to `count` operating cells (holding a member of `role`, unless -1) that `select` ranks
  /// highest, on the picture of the intervention's agency or on the true network.
  std::vector<std::size_t> select_cells(const TargetSelection& select, int role, std::size_t count);
  /// Relays up, ranked on the radio network's links.
  std::vector<std::size_t> select_relays(const TargetSelection& select);
  /// Vessels not seized, at random or in scenario order (boats have no network).
  std::vector<std::size_t> select_vessels(const TargetSelection& select);

 private:
  /// Up to `count` of the `eligible` nodes of `g`: ranked by the strategy on the `present`
  /// nodes, or in scenario order without one.
  std::vector<std::size_t> rank(const TargetSelection& select, const graph::Graph& g,
                                const graph::NodeMask& present, const graph::NodeMask& eligible,
                                std::size_t count);
};

/// Each applies its action now and returns what it hit, for the intervention log.
std::string apply(const DismantleAction& action, ActionTools& tools);
std::string apply(const ArrestAction& action, ActionTools& tools);
std::string apply(const PatrolAction& action, ActionTools& tools);
std::string apply(const SharingAction& action, ActionTools& tools);
std::string apply(const MonitoringAction& action, ActionTools& tools);
std::string apply(const PurgeAction& action, ActionTools& tools);

}  // namespace interdict::model
