// RecordTables: column layouts of the intervention log and the network record.
#include "io/RecordTables.hpp"

#include <algorithm>
#include <string>
#include <type_traits>

namespace interdict::io {

namespace {

/// A column filled from each row of `rows` by `get` (returning a number or a string).
template <class Row, class Get>
Column column(const std::string& name, const std::string& units, const std::string& description,
              const std::vector<Row>& rows, Get get) {
  Column c{name, units, description};
  using Value = decltype(get(rows.front()));
  c.text = !std::is_arithmetic_v<std::decay_t<Value>>;
  for (const Row& row : rows) {
    if constexpr (std::is_arithmetic_v<std::decay_t<Value>>)
      c.numbers.push_back(static_cast<double>(get(row)));
    else
      c.strings.emplace_back(get(row));
  }
  return c;
}

}  // namespace

std::vector<Column> intervention_columns(const std::vector<InterventionRecord>& log) {
  using R = InterventionRecord;
  std::vector<Column> columns{
      column("time", "simulation days", "when it fired", log, [](const R& r) { return r.time; }),
      column("id", "", "intervention id from the scenario", log, [](const R& r) { return r.id; }),
      column("action", "", "what was done", log, [](const R& r) { return r.action; }),
      column("targets", "", "what it hit or changed", log, [](const R& r) { return r.targets; }),
      column("arrests", "1", "people arrested by it", log, [](const R& r) { return r.arrests; }),
      column("cost", "USD", "cost charged to the agency", log, [](const R& r) { return r.cost; }),
  };
  // Network measures: the union of the names, in first-seen order, NaN where absent.
  std::vector<std::string> names;
  for (const R& r : log)
    for (const auto& [name, value] : r.network)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  for (const std::string& name : names)
    columns.push_back(column(name, "1", "network measure (see the time series of that name)", log,
                             [&](const R& r) { return r.measure(name); }));
  return columns;
}

void write_network(hid_t file, const NetworkRecord& network) {
  const Hdf5Handle group(
      H5Gcreate2(file, "network", H5P_DEFAULT, ordered_group_properties(), H5P_DEFAULT), H5Gclose,
      "create group /network");
  using N = NetworkRecord::Node;
  const auto& nodes = network.nodes;
  write_table(group, "nodes", "node", nodes.size(),
              {
                  column("id", "", "id in the scenario", nodes, [](const N& n) { return n.id; }),
                  column("kind", "", "place, cell, relay or vessel", nodes,
                         [](const N& n) { return n.kind; }),
                  column("detail", "", "place kind, relay kind, vessel type or a cell's main role",
                         nodes, [](const N& n) { return n.detail; }),
                  column("organisation", "", "organisation id (empty for places)", nodes,
                         [](const N& n) { return n.organisation; }),
                  column("place", "", "id of the place where it is (a vessel's home port)", nodes,
                         [](const N& n) { return n.place; }),
                  column("longitude", "degrees_east", "longitude of its place (NaN if unknown)",
                         nodes, [](const N& n) { return n.longitude; }),
                  column("latitude", "degrees_north", "latitude of its place (NaN if unknown)",
                         nodes, [](const N& n) { return n.latitude; }),
                  column("active_at_start", "1", "1 if operating at time 0", nodes,
                         [](const N& n) { return n.active_at_start ? 1.0 : 0.0; }),
              },
              Layout{});
  using T = NetworkRecord::Tie;
  const auto& ties = network.ties;
  write_table(group, "ties", "tie", ties.size(),
              {
                  column("source", "1", "node number of one end", ties,
                         [](const T& t) { return t.source; }),
                  column("target", "1", "node number of the other end (route: destination)", ties,
                         [](const T& t) { return t.target; }),
                  column("kind", "", "social, radio, or a route's mode (land, sea, air)", ties,
                         [](const T& t) { return t.kind; }),
              },
              Layout{});
  using C = NetworkRecord::Change;
  const auto& changes = network.changes;
  write_table(group, "changes", "change", changes.size(),
              {
                  column("time", "simulation days", "when the node stopped or resumed", changes,
                         [](const C& c) { return c.time; }),
                  column("node", "1", "node number", changes, [](const C& c) { return c.node; }),
                  column("active", "1", "1: resumed operating, 0: stopped", changes,
                         [](const C& c) { return c.active ? 1.0 : 0.0; }),
              },
              Layout{});
}

}  // namespace interdict::io
