// Observation: metric definitions, sampling and the summary.
#include "model/Observation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "graph/Structure.hpp"
#include "model/NetworkMeasures.hpp"

namespace interdict::model {

namespace {

const std::array<MetricInfo, 41> kSeries{{
    {"produced_kg", "kg", "cumulative kilograms produced at sources"},
    {"delivered_kg", "kg", "cumulative kilograms delivered to markets"},
    {"seized_kg", "kg", "cumulative kilograms seized"},
    {"in_transit_kg", "kg", "kilograms under way or waiting between legs"},
    {"shipments_produced", "1", "cumulative number of shipments produced"},
    {"shipments_delivered", "1", "cumulative number of loads delivered"},
    {"shipments_seized", "1", "cumulative number of loads seized"},
    {"shipments_in_transit", "1", "number of loads under way or waiting"},
    {"shipments_split", "1", "cumulative number of loads split off because a vessel was too small"},
    {"revenue_usd", "USD", "cumulative sale value of delivered kilograms at market prices"},
    {"capital_usd", "USD", "capital of all organisations"},
    {"mean_delivery_days", "d",
     "mean time from production to delivery of delivered loads (NaN before the first)"},
    {"arrests", "1", "cumulative number of people arrested (cell members and vessel crews)"},
    {"active_members", "1", "members of all cells"},
    {"active_cells", "1", "cells with at least one member"},
    {"vessels_active", "1", "vessels not seized"},
    {"relays_up", "1", "relays in operation"},
    {"routes_in_use", "1", "routes on which a load set off during the last sample interval"},
    {"handoffs_radio", "1", "cumulative hand-offs coordinated over radio"},
    {"handoffs_fallback", "1", "cumulative hand-off attempts over fallback channels"},
    {"leaks", "1", "cumulative fallback communications intercepted by enforcement"},
    {"radio_coverage", "1", "fraction of active cells whose place has radio to a control centre"},
    {"comm_network_size", "1", "relays up in the communication network"},
    {"comm_network_efficiency", "1",
     "global efficiency of the network of relays up and their links"},
    {"enforcement_spent_usd", "USD",
     "cumulative enforcement spending on patrols and interventions"},
    {"true_nodes", "1", "cells operating (with members): nodes of the true network"},
    {"true_ties", "1", "ties between operating cells"},
    {"true_components", "1", "connected components of the true network"},
    {"true_largest_component", "1", "cells in the true network's largest connected component"},
    {"true_density", "1", "ties / possible ties among operating cells"},
    {"true_efficiency", "1", "global efficiency of the true network (NaN above 1000 cells)"},
    {"true_degree_centralisation", "1", "Freeman degree centralisation of the true network"},
    {"true_betweenness_centralisation", "1",
     "Freeman betweenness centralisation of the true network (NaN above 1000 cells)"},
    {"known_nodes", "1", "cells in enforcement's actionable picture (best-informed agency)"},
    {"known_ties", "1", "ties in enforcement's actionable picture"},
    {"known_components", "1", "connected components of the known network"},
    {"known_largest_component", "1", "cells in the known network's largest connected component"},
    {"known_density", "1", "ties / possible ties among known cells"},
    {"known_efficiency", "1", "global efficiency of the known network (NaN above 1000 cells)"},
    {"known_degree_centralisation", "1", "Freeman degree centralisation of the known network"},
    {"known_betweenness_centralisation", "1",
     "Freeman betweenness centralisation of the known network (NaN above 1000 cells)"},
}};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::span<const MetricInfo> Observation::series() {
  return kSeries;
}

Observation::Observation(ModelContext& context, Intelligence& intelligence,
                         Interventions& interventions)
    : ctx_(context), intelligence_(intelligence), interventions_(interventions) {
  sample_ = ctx_.sim.add_handler<&Observation::on_sample>("sample", *this);
  const auto& chosen = ctx_.spec().recorded_series;
  if (chosen.empty()) {
    ctx_.recorder.declare_series(kSeries);
  } else {
    std::vector<MetricInfo> recorded;
    for (std::size_t i : chosen)
      recorded.push_back(kSeries.at(i));
    ctx_.recorder.declare_series(recorded);
    recorded_values_.resize(chosen.size());
  }
  ctx_.sim.schedule(SimTime::zero(), sample_, 0, 0, Priority::late);
}

double Observation::radio_coverage() {
  const World& w = ctx_.world;
  const std::uint64_t version = ctx_.comms.version() * 1000003u + w.cell_activity_version;
  if (version == coverage_version_) return coverage_;
  coverage_version_ = version;
  std::int64_t covered = 0;
  for (std::size_t c = 0; c < w.cells.size(); ++c) {
    if (w.cells[c].total() == 0) continue;
    const CellSpec& cell = ctx_.spec().cells[c];
    if (ctx_.comms.radio_at(cell.organisation, cell.place)) ++covered;
  }
  coverage_ = w.active_cells > 0
                  ? static_cast<double>(covered) / static_cast<double>(w.active_cells)
                  : kNaN;
  return coverage_;
}

double Observation::routes_in_use(double now) const {
  const double since = now - ctx_.spec().sample_interval_days;
  std::int64_t used = 0;
  for (double t : ctx_.world.route_last_used)
    used += (t > since) ? 1 : 0;
  return static_cast<double>(used);
}

void Observation::on_sample(Simulation& sim, const Event& event) {
  World& w = ctx_.world;
  w.check_conservation();
  const FlowTotals& t = w.totals;
  double capital = 0.0;
  for (const OrganisationRuntime& org : w.organisations)
    capital += org.capital;
  const auto d = [](std::int64_t x) { return static_cast<double>(x); };
  const double now = sim.now().in_days();
  const std::array<double, kSeries.size() - 16> values{
      d(t.produced_kg),
      d(t.delivered_kg),
      d(t.seized_kg),
      d(t.in_transit_kg),
      d(t.produced_count),
      d(t.delivered_count),
      d(t.seized_count),
      d(t.in_transit_count),
      d(t.split_count),
      t.revenue_usd,
      capital,
      t.delivered_count > 0 ? t.delivery_days_sum / d(t.delivered_count) : kNaN,
      d(t.arrests),
      d(w.active_members),
      d(w.active_cells),
      d(w.vessels_active),
      d(w.relays_up),
      routes_in_use(now),
      d(t.handoffs_radio),
      d(t.handoffs_fallback),
      d(t.leaks),
      radio_coverage(),
      static_cast<double>(ctx_.comms.size()),
      ctx_.comms.global_efficiency(),
      t.enforcement_spent,
  };
  std::array<double, kSeries.size()> all{};
  std::copy(values.begin(), values.end(), all.begin());
  const bool measured = ctx_.spec().network_measures != ModelSpec::NetworkMeasures::none;
  if (!measured) {
    std::fill(all.begin() + values.size(), all.end(), kNaN);
  } else if (w.cell_activity_version != true_version_) {
    true_version_ = w.cell_activity_version;
    true_measures_ = network_measures(intelligence_.cell_graph(), intelligence_.operating(),
                                      ctx_.spec().network_measures);
  }
  if (measured) {
    // The picture changes with learning and with time (items become actionable, then lapse):
    // its measures are recomputed only when it differs from the last one.
    const double delay = intelligence_.shortest_delay();
    if (intelligence_.version() != known_version_ || delay != known_delay_ ||
        now >= known_valid_until_) {
      Intelligence::Picture known = intelligence_.picture(delay);
      known_version_ = intelligence_.version();
      known_delay_ = delay;
      known_valid_until_ = known.valid_until;
      std::vector<graph::Tie> ties = known.ties.ties();
      if (known.cells != known_cells_ || ties != known_ties_) {
        known_measures_ = network_measures(known.ties, known.cells, ctx_.spec().network_measures);
        known_cells_ = std::move(known.cells);
        known_ties_ = std::move(ties);
      }
    }
    std::copy(true_measures_.begin(), true_measures_.end(), all.begin() + values.size());
    std::copy(known_measures_.begin(), known_measures_.end(), all.begin() + values.size() + 8);
  }
  const auto& chosen = ctx_.spec().recorded_series;
  if (chosen.empty()) {
    ctx_.recorder.sample(sim.now(), all);
  } else {
    for (std::size_t k = 0; k < chosen.size(); ++k)
      recorded_values_[k] = all[chosen[k]];
    ctx_.recorder.sample(sim.now(), recorded_values_);
  }
  interventions_.sampled(all);
  // Times as index * interval, so that no rounding accumulates over a long run.
  const std::uint64_t next = event.payload + 1;
  const double next_day = static_cast<double>(next) * ctx_.spec().sample_interval_days;
  if (next_day <= ctx_.spec().duration_days)
    sim.schedule(SimTime::days(next_day), sample_, 0, next, Priority::late);
}

void Observation::finish() {
  const World& w = ctx_.world;
  w.check_conservation();
  const FlowTotals& t = w.totals;
  const double ended_kg = static_cast<double>(t.delivered_kg + t.seized_kg);
  double capital = 0.0;
  for (const OrganisationRuntime& org : w.organisations)
    capital += org.capital;
  const auto count = [](std::int64_t n) { return static_cast<double>(n); };
  const std::array<std::pair<MetricInfo, double>, 17> summary{{
      {{"produced_kg", "kg", "kilograms produced over the run"},
       static_cast<double>(t.produced_kg)},
      {{"delivered_kg", "kg", "kilograms delivered over the run"},
       static_cast<double>(t.delivered_kg)},
      {{"seized_kg", "kg", "kilograms seized over the run"}, static_cast<double>(t.seized_kg)},
      {{"in_transit_kg", "kg", "kilograms still under way at the end"},
       static_cast<double>(t.in_transit_kg)},
      {{"seizure_fraction", "1",
        "seized kg / (delivered kg + seized kg); NaN if nothing arrived or was seized"},
       ended_kg > 0 ? static_cast<double>(t.seized_kg) / ended_kg : kNaN},
      {{"revenue_usd", "USD", "sale value of delivered kilograms"}, t.revenue_usd},
      {{"capital_usd", "USD", "capital of all organisations at the end"}, capital},
      {{"arrests", "1", "people arrested over the run"}, static_cast<double>(t.arrests)},
      {{"recruits", "1", "recruits contacted over the run"}, static_cast<double>(t.recruits)},
      {{"relays_rebuilt", "1", "relays rebuilt over the run"},
       static_cast<double>(t.relays_rebuilt)},
      {{"vessels_bought", "1", "vessels bought to replace seized ones"},
       static_cast<double>(t.vessels_bought)},
      {{"enforcement_spent_usd", "USD", "enforcement spending over the run"}, t.enforcement_spent},
      {{"shipments_produced", "1", "shipments produced over the run"}, count(t.produced_count)},
      {{"shipments_delivered", "1", "shipments delivered over the run"}, count(t.delivered_count)},
      {{"shipments_seized", "1", "shipments seized over the run"}, count(t.seized_count)},
      {{"shipments_in_transit", "1", "shipments under way or waiting at the end"},
       count(t.in_transit_count)},
      {{"mean_delivery_days", "d",
        "mean time from production to delivery of delivered shipments; NaN if none"},
       t.delivered_count > 0 ? t.delivery_days_sum / count(t.delivered_count) : kNaN},
  }};
  for (const auto& [metric, value] : summary)
    ctx_.recorder.summary(metric, value);
  if (ctx_.recorder.wants_network()) ctx_.recorder.network(network_record());
}

NetworkRecord Observation::network_record() const {
  const ModelSpec& spec = ctx_.spec();
  const World& w = ctx_.world;
  NetworkRecord out;
  const auto add_node = [&](const std::string& id, std::string_view kind, std::string_view detail,
                            std::size_t organisation, std::size_t place, bool active) {
    const PlaceSpec& p = spec.places[place];
    out.nodes.push_back(NetworkRecord::Node{
        id, std::string(kind), std::string(detail),
        organisation == kNone ? std::string() : spec.organisations[organisation].id, p.id,
        p.longitude.value_or(kNaN), p.latitude.value_or(kNaN), active});
    return static_cast<std::uint32_t>(out.nodes.size() - 1);
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

  for (const ActivityChange& change : w.activity_log) {
    const std::uint32_t first = change.kind == NodeKind::cell    ? first_cell
                                : change.kind == NodeKind::relay ? first_relay
                                                                 : first_vessel;
    out.changes.push_back({change.time, first + change.index, change.active});
  }
  return out;
}

}  // namespace interdict::model
