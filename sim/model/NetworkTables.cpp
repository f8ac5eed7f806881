// NetworkTables: the network's nodes, ties, changes, seizures and flows, and the columns of their
// tables (docs/output-format.md, /network).
#include "model/NetworkTables.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

namespace interdict::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Node {
  std::string id;
  std::string kind;    // place, cell, relay, vessel
  std::string detail;  // place kind, relay kind, vessel type, or a cell's largest role
  std::string organisation;
  std::string place;     // where it is (a place's own id; a vessel's home port)
  double longitude;      // degrees, NaN if the place has no coordinates
  double latitude;       // degrees, NaN if the place has no coordinates
  bool active_at_start;  // operating at t = 0
};
struct Tie {
  std::uint32_t source;  // node indices
  std::uint32_t target;
  std::string kind;  // social (cell ties), radio (relay links), land, sea, air (routes)
};
struct Change {
  double time;  // days
  std::uint32_t node;
  bool active;  // true: resumed operating; false: stopped
};
struct Network {
  std::vector<Node> nodes;
  std::vector<Tie> ties;
  std::vector<Change> changes;  // in time order
};

Network network_of(const ModelSpec& spec, const std::vector<ActivityChange>& changes) {
  Network out;
  const auto add_node = [&](const std::string& id, std::string_view kind, std::string_view detail,
                            std::size_t organisation, std::size_t place, bool active) {
    const PlaceSpec& p = spec.places[place];
    out.nodes.push_back(
        Node{id, std::string(kind), std::string(detail),
             organisation == kNone ? std::string() : spec.organisations[organisation].id, p.id,
             p.longitude.value_or(kNaN), p.latitude.value_or(kNaN), active});
  };
  // Node numbering: places, then cells, relays and vessels, each in scenario order.
  for (std::size_t p = 0; p < spec.places.size(); ++p)
    add_node(spec.places[p].id, "place", name_of(spec.places[p].kind, kPlaceKindNames), kNone, p,
             true);
  const auto first_cell = static_cast<std::uint32_t>(out.nodes.size());
  for (const CellSpec& c : spec.cells) {
    const auto main_role = static_cast<std::size_t>(
        std::max_element(c.members.begin(), c.members.end()) - c.members.begin());
    const int members = c.members[0] + c.members[1] + c.members[2] + c.members[3];
    add_node(c.id, "cell", kRoleNames[main_role], c.organisation, c.place, members > 0);
  }
  const auto first_relay = static_cast<std::uint32_t>(out.nodes.size());
  for (const RelaySpec& r : spec.relays)
    add_node(r.id, "relay", name_of(r.kind, kRelayKindNames), r.organisation, r.place, true);
  const auto first_vessel = static_cast<std::uint32_t>(out.nodes.size());
  for (const VesselSpec& v : spec.vessels)
    add_node(v.id, "vessel", name_of(v.type, kVesselTypeNames), v.organisation, v.home, true);

  for (const RouteSpec& r : spec.routes)
    out.ties.push_back({static_cast<std::uint32_t>(r.from), static_cast<std::uint32_t>(r.to),
                        std::string(name_of(r.mode, kRouteModeNames))});
  for (std::size_t c = 0; c < spec.cells.size(); ++c)
    for (std::size_t tie : spec.cells[c].ties)
      if (c < tie)
        out.ties.push_back({first_cell + static_cast<std::uint32_t>(c),
                            first_cell + static_cast<std::uint32_t>(tie), "social"});
  for (std::size_t r = 0; r < spec.relays.size(); ++r)
    for (std::size_t link : spec.relays[r].links)
      if (r < link)
        out.ties.push_back({first_relay + static_cast<std::uint32_t>(r),
                            first_relay + static_cast<std::uint32_t>(link), "radio"});

  for (const ActivityChange& change : changes) {
    const std::uint32_t first = change.kind == NodeKind::cell    ? first_cell
                                : change.kind == NodeKind::relay ? first_relay
                                                                 : first_vessel;
    out.changes.push_back({change.time, first + change.index, change.active});
  }
  return out;
}

Table node_table(const std::vector<Node>& nodes) {
  using N = Node;
  return Table{
      "network/nodes",
      "node",
      {
          column_of("id", "", "id in the scenario", nodes, [](const N& n) { return n.id; }),
          column_of("kind", "", "place, cell, relay or vessel", nodes,
                    [](const N& n) { return n.kind; }),
          column_of("detail", "", "place kind, relay kind, vessel type or a cell's main role",
                    nodes, [](const N& n) { return n.detail; }),
          column_of("organisation", "", "organisation id (empty for places)", nodes,
                    [](const N& n) { return n.organisation; }),
          column_of("place", "", "id of the place where it is (a vessel's home port)", nodes,
                    [](const N& n) { return n.place; }),
          column_of("longitude", "degrees_east", "longitude of its place (NaN if unknown)", nodes,
                    [](const N& n) { return n.longitude; }),
          column_of("latitude", "degrees_north", "latitude of its place (NaN if unknown)", nodes,
                    [](const N& n) { return n.latitude; }),
          column_of("active_at_start", "1", "1 if operating at time 0", nodes,
                    [](const N& n) { return n.active_at_start ? 1.0 : 0.0; }),
      }};
}

Table tie_table(const std::vector<Tie>& ties) {
  using T = Tie;
  return Table{"network/ties",
               "tie",
               {
                   column_of("source", "1", "node number of one end", ties,
                             [](const T& t) { return t.source; }),
                   column_of("target", "1", "node number of the other end (route: destination)",
                             ties, [](const T& t) { return t.target; }),
                   column_of("kind", "", "social, radio, or a route's mode (land, sea, air)", ties,
                             [](const T& t) { return t.kind; }),
               }};
}

Table change_table(const std::vector<Change>& changes) {
  using C = Change;
  return Table{
      "network/changes",
      "change",
      {
          column_of("time", "simulation days", "when the node stopped or resumed", changes,
                    [](const C& c) { return c.time; }),
          column_of("node", "1", "node number", changes, [](const C& c) { return c.node; }),
          column_of("active", "1", "1: resumed operating, 0: stopped", changes,
                    [](const C& c) { return c.active ? 1.0 : 0.0; }),
      }};
}

Table seizure_table(const std::vector<NetworkLog::Seizure>& seizures) {
  using S = NetworkLog::Seizure;
  return Table{
      "network/seizures",
      "seizure",
      {
          column_of("time", "simulation days", "when the load was seized", seizures,
                    [](const S& s) { return s.time; }),
          column_of("tie", "1", "tie number of the route it was seized on; -1: not under way",
                    seizures,
                    [](const S& s) { return s.route == UINT32_MAX ? -1.0 : double(s.route); }),
          column_of("node", "1",
                    "node number of the place it set out from on that route, or where it was",
                    seizures, [](const S& s) { return s.place; }),
          column_of("kg", "kg", "kilograms seized", seizures, [](const S& s) { return s.kg; }),
          column_of("kind", "",
                    "vessel type or route mode of its carrier (a patrol's seizure), stash (a "
                    "raid) or intervention",
                    seizures, [](const S& s) { return s.kind; }),
          column_of("by", "", "id of the patrol, the raiding agency or the intervention", seizures,
                    [](const S& s) { return s.by; }),
      }};
}

Table flow_table(std::span<const NetworkLog::Flow> flows) {
  using F = NetworkLog::Flow;
  return Table{"network/flows",
               "flow",
               {
                   column_of("time", "simulation days",
                             "sample time closing the interval (t - sample_interval, t]", flows,
                             [](const F& f) { return f.time; }),
                   column_of("tie", "1", "tie number of the route", flows,
                             [](const F& f) { return f.route; }),
                   column_of("kg", "kg", "kilograms that set out on the route in the interval",
                             flows, [](const F& f) { return f.kg; }),
                   column_of("loads", "1", "loads that set out on the route in the interval", flows,
                             [](const F& f) { return f.loads; }),
               }};
}

}  // namespace

NetworkLog::NetworkLog(ModelContext& context)
    : ctx_(context), open_(context.spec().routes.size(), kNoRow) {
  ctx_.signals.load_departed.connect(
      [this](std::uint32_t shipment, std::size_t route) { departed(shipment, route); });
  ctx_.signals.load_seized.connect([this](const LoadSeizure& seizure) { seized(seizure); });
}

void NetworkLog::departed(std::uint32_t shipment, std::size_t route) {
  const std::int64_t kg = ctx_.world.shipments[shipment].kg;
  if (open_[route] == kNoRow) {
    open_[route] = static_cast<std::uint32_t>(flows_.size() - closed_);
    flows_.push_back(Flow{0.0, static_cast<std::uint32_t>(route), 0, 0});
  }
  Flow& flow = flows_[closed_ + open_[route]];
  ++flow.loads;
  flow.kg += kg;
}

void NetworkLog::close_interval(double t) {
  const auto first = flows_.begin() + static_cast<std::ptrdiff_t>(closed_);
  std::sort(first, flows_.end(), [](const Flow& a, const Flow& b) { return a.route < b.route; });
  for (auto f = first; f != flows_.end(); ++f) {
    f->time = t;
    open_[f->route] = kNoRow;
  }
  closed_ = flows_.size();
}

void NetworkLog::seized(const LoadSeizure& s) {
  const ModelSpec& spec = ctx_.spec();
  std::string_view kind, by;
  switch (s.by) {
    case SeizedBy::patrol:
      kind = s.carrier == CarrierKind::vessel
                 ? name_of(spec.vessels[s.carrier_index].type, kVesselTypeNames)
                 : name_of(spec.routes[s.route].mode, kRouteModeNames);
      by = spec.patrols[s.seizer].id;
      break;
    case SeizedBy::raid:
      kind = "stash";
      by = spec.agencies[s.seizer].id;
      break;
    case SeizedBy::intervention:
      kind = "intervention";
      by = spec.interventions[s.seizer].id;
      break;
  }
  seizures_.push_back(Seizure{ctx_.now(), s.kg,
                              s.route == kNone ? UINT32_MAX : static_cast<std::uint32_t>(s.route),
                              static_cast<std::uint32_t>(s.place), kind, by});
}

std::vector<Table> network_tables(const ModelSpec& spec, const std::vector<ActivityChange>& changes,
                                  const NetworkLog& log) {
  const Network network = network_of(spec, changes);
  std::vector<Table> out;
  out.push_back(node_table(network.nodes));
  out.push_back(tie_table(network.ties));
  out.push_back(change_table(network.changes));
  out.push_back(seizure_table(log.seizures()));
  out.push_back(flow_table(log.flows()));
  return out;
}

}  // namespace interdict::model
