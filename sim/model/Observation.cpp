// Observation: metric definitions, sampling and the summary.
#include "model/Observation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace interdict::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

Observation::Observation(ModelContext& context, const MetricTable& series,
                         const MetricTable& summary)
    : ctx_(context), series_(series), summary_(summary) {
  sample_ = ctx_.sim.add_handler<&Observation::on_sample>("sample", *this);
  std::vector<MetricInfo> recorded;
  for (std::size_t i : ctx_.spec().recorded_series)
    recorded.push_back(series_.infos()[i]);
  ctx_.recorder.declare_series(recorded.empty() ? series_.infos() : recorded);
  recorded_values_.resize(recorded.size());
  ctx_.schedule_tick(sample_, 0, ctx_.spec().sample_interval_days, Priority::late);
}

void Observation::on_sample(Simulation& sim, const Event& event) {
  ctx_.world.check_conservation();
  series_.read(values_);
  const auto& chosen = ctx_.spec().recorded_series;
  if (chosen.empty()) {
    ctx_.recorder.sample(sim.now(), values_);
  } else {
    for (std::size_t k = 0; k < chosen.size(); ++k)
      recorded_values_[k] = values_[chosen[k]];
    ctx_.recorder.sample(sim.now(), recorded_values_);
  }
  ctx_.signals.sample_taken.emit(values_);
  ctx_.schedule_tick(sample_, event.payload + 1, ctx_.spec().sample_interval_days, Priority::late);
}

void Observation::finish() {
  ctx_.world.check_conservation();
  std::vector<double> values;
  summary_.read(values);
  for (std::size_t i = 0; i < values.size(); ++i)
    ctx_.recorder.summary(summary_.infos()[i], values[i]);
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
