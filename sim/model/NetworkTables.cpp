// NetworkTables: the network's nodes, ties and changes, and the columns of their tables
// (docs/output-format.md, /network).
#include "model/NetworkTables.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
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

}  // namespace

std::vector<Table> network_tables(const ModelSpec& spec,
                                  const std::vector<ActivityChange>& changes) {
  const Network network = network_of(spec, changes);
  std::vector<Table> out;
  out.push_back(node_table(network.nodes));
  out.push_back(tie_table(network.ties));
  out.push_back(change_table(network.changes));
  return out;
}

}  // namespace interdict::model
