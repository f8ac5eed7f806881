// World: construction of the runtime state and its bookkeeping invariants.
#include "model/World.hpp"

#include "model/Signals.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace interdict::model {

World::World(const ModelSpec& model_spec)
    : spec(model_spec),
      cells(model_spec.cells.size()),
      vessels(model_spec.vessels.size()),
      relays(model_spec.relays.size()),
      organisations(model_spec.organisations.size()),
      agencies(model_spec.agencies.size()),
      patrols_on_route(model_spec.routes.size()),
      route_seizures(model_spec.routes.size(), 0),
      route_load(model_spec.routes.size(), 0),
      route_last_used(model_spec.routes.size(), -kNever) {
  for (std::size_t o = 0; o < organisations.size(); ++o) {
    OrganisationRuntime& org = organisations[o];
    org.capital = spec.organisations[o].capital;
    org.perceived_risk.assign(spec.routes.size(), spec.organisations[o].initial_risk);
    org.risk_cost.assign(spec.routes.size(),
                         -std::log1p(-std::min(spec.organisations[o].initial_risk, 0.999)));
    org.cells_at.resize(spec.places.size());
    org.vessels_at.resize(spec.places.size());
    org.staffed_cells_at.assign(spec.places.size(), 0);
    org.fleet_at.assign(spec.places.size(), 0);
    org.waiting_for_cell.resize(spec.places.size());
    org.waiting_for_vessel.resize(spec.places.size());
  }
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const CellSpec& cell = spec.cells[c];
    organisations.at(cell.organisation).cells_at.at(cell.place).push_back(c);
    for (std::size_t r = 0; r < kRoleCount; ++r)
      change_members(c, static_cast<Role>(r), cell.members[r]);
  }
  for (std::size_t v = 0; v < vessels.size(); ++v) {
    OrganisationRuntime& org = organisations.at(spec.vessels[v].organisation);
    org.vessels_at.at(spec.vessels[v].home).push_back(v);
    ++org.fleet_at[spec.vessels[v].home];
    ++vessels_active;
  }
  relays_up = static_cast<std::int64_t>(relays.size());
  for (std::size_t a = 0; a < agencies.size(); ++a) {
    agencies[a].intel.assign(spec.routes.size(), IntelWindow{});
    agencies[a].sharing_delay = spec.agencies[a].sharing_delay;
  }
  for (std::size_t p = 0; p < spec.patrols.size(); ++p) {
    const PatrolSpec& ps = spec.patrols[p];
    patrols.push_back({ps.route, ps.detection_probability, ps.intensity});
    patrols_on_route.at(ps.route).push_back(p);
  }
}

std::uint32_t World::new_shipment(const Shipment& s) {
  totals.in_transit_kg += s.kg;
  ++totals.in_transit_count;
  if (!free_shipments.empty()) {
    const std::uint32_t id = free_shipments.back();
    free_shipments.pop_back();
    // Tickets go on counting from the slot's last load, so a queue entry it left behind can
    // never match the new one.
    const std::uint32_t ticket = shipments[id].ticket + 1;
    shipments[id] = s;
    shipments[id].ticket = ticket;
    return id;
  }
  shipments.push_back(s);
  return static_cast<std::uint32_t>(shipments.size() - 1);
}

void World::end_shipment(std::uint32_t id) {
  totals.in_transit_kg -= shipments[id].kg;
  --totals.in_transit_count;
  free_shipments.push_back(id);
}

void World::change_members(std::size_t cell, Role role, int delta) {
  CellRuntime& c = cells[cell];
  const int before = c.total();
  c.members[static_cast<std::size_t>(role)] += delta;
  if (c.members[static_cast<std::size_t>(role)] < 0)
    throw std::logic_error("negative members in a cell");
  active_members += delta;
  const CellSpec& cs = spec.cells[cell];
  OrganisationRuntime& org = organisations[cs.organisation];
  if (role == Role::leader) org.leaders += delta;
  if ((before == 0) != (c.total() == 0) && clock)
    activity_log.push_back(ActivityChange{clock->now().in_days(), NodeKind::cell,
                                          static_cast<std::uint32_t>(cell), before == 0});
  if (before == 0 && c.total() > 0) {
    ++active_cells;
    ++cell_activity_version;
    if (org.staffed_cells_at[cs.place]++ == 0) org.carrier_changed(cs.place);  // usable again
  }
  if (before > 0 && c.total() == 0) {
    --active_cells;
    ++cell_activity_version;
    if (--org.staffed_cells_at[cs.place] == 0) org.carrier_changed(cs.place);  // no one to carry
  }
  if ((before == 0) != (c.total() == 0) && signals) signals->cell_staffed.emit(cell, before == 0);
}

void World::set_vessel_seized(std::size_t vessel, bool seized) {
  VesselRuntime& v = vessels[vessel];
  if ((v.state == VesselState::seized) == seized) return;
  v.state = seized ? VesselState::seized : VesselState::idle;
  const VesselSpec& vs = spec.vessels[vessel];
  OrganisationRuntime& org = organisations[vs.organisation];
  const int before = org.fleet_at[vs.home];
  org.fleet_at[vs.home] += seized ? -1 : 1;
  if ((before == 0) != (org.fleet_at[vs.home] == 0)) org.carrier_changed(vs.home);
  vessels_active += seized ? -1 : 1;
  if (clock)
    activity_log.push_back(ActivityChange{clock->now().in_days(), NodeKind::vessel,
                                          static_cast<std::uint32_t>(vessel), !seized});
}

void World::move_patrol(std::size_t patrol, std::size_t route) {
  std::vector<std::size_t>& from = patrols_on_route[patrols[patrol].route];
  from.erase(std::remove(from.begin(), from.end(), patrol), from.end());
  patrols[patrol].route = route;
  std::vector<std::size_t>& to = patrols_on_route[route];
  to.insert(std::upper_bound(to.begin(), to.end(), patrol), patrol);
}

void World::set_relay_up(std::size_t relay, bool up) {
  if (relays[relay].up == up) return;
  relays[relay].up = up;
  relays_up += up ? 1 : -1;
  if (clock)
    activity_log.push_back(ActivityChange{clock->now().in_days(), NodeKind::relay,
                                          static_cast<std::uint32_t>(relay), up});
}

void World::check_conservation() const {
  const FlowTotals& t = totals;
  if (t.produced_kg != t.delivered_kg + t.seized_kg + t.in_transit_kg || t.in_transit_kg < 0)
    throw std::logic_error(
        "kilogram conservation violated: produced " + std::to_string(t.produced_kg) +
        " != delivered " + std::to_string(t.delivered_kg) + " + seized " +
        std::to_string(t.seized_kg) + " + in transit " + std::to_string(t.in_transit_kg));
  if (t.produced_count + t.split_count != t.delivered_count + t.seized_count + t.in_transit_count)
    throw std::logic_error("shipment count conservation violated");
}

}  // namespace interdict::model
