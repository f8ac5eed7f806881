// World: the model's runtime state, shared by the mechanisms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/Event.hpp"
#include "core/RandomStreams.hpp"
#include "core/SimTime.hpp"
#include "core/Simulation.hpp"
#include "model/ModelSpec.hpp"

namespace interdict::model {

struct ModelSignals;

/// Who is carrying a shipment on its current leg.
enum class CarrierKind : std::uint8_t { none, cell, vessel };

/// A load of drugs under way from a source to a market. Whole kilograms, so that
/// conservation is exact.
struct Shipment {
  std::uint32_t source = 0;
  std::uint32_t path = 0;  // index into World::paths
  std::uint32_t leg = 0;   // next or current leg of the path
  std::int64_t kg = 0;
  SimTime created;
  CarrierKind carrier = CarrierKind::none;
  std::uint32_t carrier_index = 0;
  EventId pending{};  // the one event scheduled for this shipment
  std::uint32_t handing_vessel =
      UINT32_MAX;            // vessel that brought it, waiting to hand off (kNoVessel: none)
  std::uint32_t ticket = 0;  // bumped on every wait, so stale queue entries are recognised
};

/// A load queued for a carrier.
struct Waiter {
  std::uint32_t shipment;
  std::uint32_t ticket;
};

/// Loads queued at a place, first come first served. Holds nothing while empty (a std::deque
/// allocates about 600 bytes even then, and every place has two per organisation); the
/// served front is dropped once it is half the storage.
class WaitQueue {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  const Waiter& front() const { return items_[head_]; }
  void push_back(const Waiter& w) { items_.push_back(w); }
  void pop_front() {
    if (++head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= 32 && 2 * head_ >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

 private:
  std::vector<Waiter> items_;
  std::size_t head_ = 0;
};

/// Entries kept in order for readers that catch up at their own pace (the route planner's
/// trees): a position counts every entry ever pushed, and what every reader has passed can be
/// dropped.
template <class T>
class ChangeLog {
 public:
  void push(const T& entry) { entries_.push_back(entry); }
  /// The position after the last entry.
  std::size_t end() const { return base_ + entries_.size(); }
  const T& at(std::size_t position) const { return entries_[position - base_]; }
  /// Drops the entries before `position` once they are at least 1024 and half of those kept.
  void drop_before(std::size_t position) {
    const std::size_t n = position - base_;
    if (n < 1024 || 2 * n < entries_.size()) return;
    entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(n));
    base_ += n;
  }

 private:
  std::vector<T> entries_;
  std::size_t base_ = 0;  // entries dropped from the front
};

inline constexpr std::uint32_t kNoShipment = UINT32_MAX;
inline constexpr std::uint32_t kNoVessel = UINT32_MAX;

/// Vessel states (issue: idle, loading, in transit, waiting to hand off, returning).
enum class VesselState : std::uint8_t {
  idle,
  positioning,
  loading,
  in_transit,
  waiting_handoff,
  returning,
  seized
};

struct VesselRuntime {
  VesselState state = VesselState::idle;
  std::uint32_t shipment = kNoShipment;  // the load it is assigned to
};

struct CellRuntime {
  RoleCounts members{};
  int busy_transporters = 0;
  int pending_recruits = 0;
  int total() const { return members[0] + members[1] + members[2] + members[3]; }
};

struct RelayRuntime {
  bool up = true;
  bool rebuilding = false;
};

struct OrganisationRuntime {
  double capital = 0.0;
  std::vector<double> perceived_risk;  // per route
  std::vector<double> risk_cost;       // per route: -ln(1 - perceived risk), kept in step
  std::vector<std::vector<std::size_t>> cells_at;    // per place: cell indices
  std::vector<std::vector<std::size_t>> vessels_at;  // per place: vessels whose home it is
  std::vector<int> staffed_cells_at;  // per place: cells with members (kept by change_members)
  std::vector<int> fleet_at;          // per place: vessels based there and not seized
  // Places that gained their first carrier or lost their last, in order: plans rest on them.
  ChangeLog<std::uint32_t> carrier_changes;
  int leaders = 0;  // members in the leader role, over all its cells
  // Per place, loads queued first come, first served: for a cell's transporter (land and air
  // legs leaving the place) and for a vessel based there (sea legs starting or ending there).
  std::vector<WaitQueue> waiting_for_cell;
  std::vector<WaitQueue> waiting_for_vessel;

  /// `place` gained its first carrier or lost its last one: plans may have changed.
  void carrier_changed(std::size_t place) {
    carrier_changes.push(static_cast<std::uint32_t>(place));
  }
};

/// Actionable window of intelligence about a route held by an agency.
struct IntelWindow {
  double from = kNever;
  double until = -kNever;
};

struct AgencyRuntime {
  double spent = 0.0;
  bool active = true;              // false once the budget is exhausted
  double sharing_delay = 0.0;      // days; starts as in the spec, interventions change it
  std::vector<IntelWindow> intel;  // per route
};

/// What an intervention can change about a patrol: where it is and how hard it looks.
struct PatrolRuntime {
  std::size_t route = 0;
  double detection_probability = 0.0;
  double intensity = 0.0;
};

/// Running totals. Quantities are whole kilograms so that conservation is exact:
/// produced = delivered + seized + in transit, always.
struct FlowTotals {
  std::int64_t produced_kg = 0;
  std::int64_t delivered_kg = 0;
  std::int64_t seized_kg = 0;
  std::int64_t in_transit_kg = 0;
  std::int64_t produced_count = 0;
  std::int64_t delivered_count = 0;
  std::int64_t seized_count = 0;
  std::int64_t in_transit_count = 0;
  std::int64_t split_count = 0;  // loads split off because a vessel was too small
  double revenue_usd = 0.0;
  double delivery_days_sum = 0.0;  // over delivered shipments
  std::int64_t arrests = 0;
  std::int64_t handoffs_radio = 0;
  std::int64_t handoffs_fallback = 0;
  std::int64_t leaks = 0;
  std::int64_t recruits = 0;
  std::int64_t relays_rebuilt = 0;
  std::int64_t vessels_bought = 0;
  double enforcement_spent = 0.0;
};

/// Kinds of network node whose operation can stop and resume.
enum class NodeKind : std::uint8_t { cell, vessel, relay };

/// A node that stopped (a cell lost its last member, a vessel was seized, a relay went down)
/// or resumed operating.
struct ActivityChange {
  double time;  // days
  NodeKind kind;
  std::uint32_t index;  // into the spec's cells, vessels or relays
  bool active;
};

/// Everything that changes during a run, plus indexes into the spec.
struct World {
  explicit World(const ModelSpec& model_spec);

  const ModelSpec& spec;
  std::vector<Shipment> shipments;
  std::vector<std::uint32_t> free_shipments;
  std::vector<std::vector<std::size_t>> paths;  // append-only pool of route sequences
  std::vector<CellRuntime> cells;
  std::vector<VesselRuntime> vessels;
  std::vector<RelayRuntime> relays;
  std::vector<OrganisationRuntime> organisations;
  std::vector<AgencyRuntime> agencies;
  std::vector<PatrolRuntime> patrols;
  std::vector<std::vector<std::size_t>> patrols_on_route;
  std::vector<int> route_seizures;      // loads seized on each route: the flows enforcement sees
  std::vector<int> route_load;          // shipments reserved on or travelling each route
  std::vector<double> route_last_used;  // time of the last departure on each route
  FlowTotals totals;
  std::int64_t active_members = 0;
  std::int64_t active_cells = 0;
  std::uint64_t cell_activity_version = 0;  // increases whenever a cell empties or is staffed again
  std::int64_t vessels_active = 0;
  std::int64_t relays_up = 0;
  /// Stops and resumptions of cells, vessels and relays, in time order, from the moment the
  /// clock is set (the initial state is not a change).
  std::vector<ActivityChange> activity_log;
  const Simulation* clock = nullptr;
  const ModelSignals* signals = nullptr;  // announces cells emptied and staffed again

  std::uint32_t new_shipment(const Shipment& s);
  void end_shipment(std::uint32_t id);
  /// Adds (or, negative, removes) members of a role and keeps the head counts in step.
  void change_members(std::size_t cell, Role role, int delta);
  /// The debt rule (docs/model.md 3.3.7): whether organisation o may spend `cost` on recovery or
  /// bribes: anything free, else what keeps its capital at or above minus its credit limit.
  bool affordable(std::size_t o, double cost) const {
    return cost <= 0.0 || organisations[o].capital - cost >= -spec.organisations[o].credit_limit;
  }
  /// Marks a vessel seized or back in service, keeping the fleet counts in step.
  void set_vessel_seized(std::size_t vessel, bool seized);
  /// Moves a patrol to another route.
  void move_patrol(std::size_t patrol, std::size_t route);
  /// Marks a relay down or back up, keeping the count in step.
  void set_relay_up(std::size_t relay, bool up);
  void check_conservation() const;
};

}  // namespace interdict::model
