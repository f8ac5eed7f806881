// NetworkTables: a run's network (nodes, ties, and when nodes stopped or resumed) as tables.
#pragma once

#include <vector>

#include "core/Table.hpp"
#include "model/ModelSpec.hpp"
#include "model/World.hpp"

namespace interdict::model {

/// The group of the network tables: network/nodes, network/ties and network/changes.
inline constexpr const char* kNetworkTables = "network";

/// The structure of the model's network, for drawing it and analysing it afterwards: its nodes
/// (places, cells, relays, vessels, numbered in that order) with coordinates where known, the
/// ties between them, and every time a node stopped or resumed operating (`changes`, in time
/// order). Costs a pass over every node.
std::vector<Table> network_tables(const ModelSpec& spec,
                                  const std::vector<ActivityChange>& changes);

}  // namespace interdict::model
