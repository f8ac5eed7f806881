// NetworkTables: a run's network (nodes, ties, when nodes stopped or resumed, seizures and the
// flows on routes) as tables.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/Table.hpp"
#include "model/ModelContext.hpp"
#include "model/ModelSpec.hpp"
#include "model/World.hpp"

namespace interdict::model {

/// The group of the network tables: network/nodes, ties, changes, seizures and flows.
inline constexpr const char* kNetworkTables = "network";

/// What happens on the network during a run, kept for its tables: every seizure (listening to
/// load_seized), and the loads that set off on each route (load_departed), summed over each
/// sample interval, which the caller closes at each sample. A row per seizure and at most one
/// per departure: memory grows with the events, never with the network's size alone.
class NetworkLog {
 public:
  explicit NetworkLog(ModelContext& context);
  NetworkLog(const NetworkLog&) = delete;
  NetworkLog& operator=(const NetworkLog&) = delete;

  /// Ends the interval that sample time `t` closes: its routes' rows get time t, in route order.
  void close_interval(double t);

  /// Kilograms and loads that set off on a route in a sample interval.
  struct Flow {
    double time;  // days: the sample closing the interval
    std::uint32_t route;
    std::uint32_t loads;
    std::int64_t kg;
  };
  /// A load seized.
  struct Seizure {
    double time;  // days
    std::int64_t kg;
    std::uint32_t route;    // UINT32_MAX if it was not under way
    std::uint32_t place;    // where it set out from on that route, or where it was
    std::string_view kind;  // how: a carrier (vessel type or route mode), stash, intervention
    std::string_view by;    // id of the patrol, raiding agency or intervention
  };
  /// Flows of the closed intervals, in time order, then route order.
  std::span<const Flow> flows() const { return {flows_.data(), closed_}; }
  /// Seizures in time order.
  const std::vector<Seizure>& seizures() const { return seizures_; }

 private:
  void departed(std::uint32_t shipment, std::size_t route);
  void seized(const LoadSeizure& seizure);

  static constexpr std::uint32_t kNoRow = UINT32_MAX;

  ModelContext& ctx_;
  std::vector<Flow> flows_;
  std::size_t closed_ = 0;           // rows of the closed intervals: those before it
  std::vector<std::uint32_t> open_;  // per route: its row after closed_, or kNoRow
  std::vector<Seizure> seizures_;
};

/// The structure of the model's network, for drawing it and analysing it afterwards: its nodes
/// (places, cells, relays, vessels, numbered in that order) with coordinates where known, the
/// ties between them (routes first, so a route's tie number is its index), every time a node
/// stopped or resumed operating (`changes`, in time order), and from `log` the seizures and the
/// flows on routes. Costs a pass over every node.
std::vector<Table> network_tables(const ModelSpec& spec, const std::vector<ActivityChange>& changes,
                                  const NetworkLog& log);

}  // namespace interdict::model
