// Transport: production, carriers, hand-off coordination, legs and delivery.
#include "model/Transport.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "model/TravelTime.hpp"

namespace interdict::model {

namespace {

constexpr auto kTransporter = static_cast<std::size_t>(Role::transporter);
constexpr auto kBroker = static_cast<std::size_t>(Role::broker);
constexpr auto kLeader = static_cast<std::size_t>(Role::leader);

}  // namespace

Transport::Transport(ModelContext& context, Market& market, Command& command, RoutePlanner& planner,
                     Interdiction& interdiction)
    : ctx_(context),
      market_(market),
      command_(command),
      planner_(planner),
      interdiction_(interdiction),
      channels_(make_channels(context)) {
  Simulation& sim = ctx_.sim;
  produce_ = sim.add_handler<&Transport::on_produce>("production", *this);
  advance_ = sim.add_handler<&Transport::on_advance>("advance", *this);
  depart_ = sim.add_handler<&Transport::on_depart>("depart", *this);
  arrive_ = sim.add_handler<&Transport::on_arrive>("leg_end", *this);
  seize_ = sim.add_handler<&Transport::on_seize>("seizure", *this);
  vessel_home_ = sim.add_handler<&Transport::on_vessel_home>("vessel_home", *this);
  wake_ = sim.add_handler<&Transport::on_carrier_freed>("carrier_freed", *this);
  ctx_.carrier_freed = wake_;
  const ModelSpec& spec = ctx_.spec();
  for (const SourceSpec& source : spec.sources) {
    arrival_rng_.push_back(ctx_.streams.stream("arrivals/" + source.id));
    size_rng_.push_back(ctx_.streams.stream("sizes/" + source.id));
    supply_rng_.emplace_back(ctx_.streams, "supply/" + source.id);
  }
  travel_rng_.resize(spec.routes.size());
  for (std::uint32_t s = 0; s < spec.sources.size(); ++s) {
    boost::random::exponential_distribution<double> gap(candidate_rate(s));
    sim.schedule(SimTime::days(spec.sources[s].start_day + gap(arrival_rng_[s])), produce_, s);
  }
}

double Transport::candidate_rate(std::size_t s) const {
  const SourceSpec& source = ctx_.spec().sources[s];
  if (source.supply_elasticity <= 0.0) return source.rate_per_day;
  return source.rate_per_day *
         std::pow(market_.largest_ratio(source.market), source.supply_elasticity);
}

bool Transport::produces(std::size_t s) {
  const SourceSpec& source = ctx_.spec().sources[s];
  if (source.supply_elasticity <= 0.0) return true;
  const double keep =
      std::pow(market_.price_ratio(source.market) / market_.largest_ratio(source.market),
               source.supply_elasticity);
  return boost::random::uniform_01<double>()(supply_rng_[s]) < keep;
}

void Transport::on_produce(Simulation& sim, const Event& event) {
  const std::uint32_t s = event.target;
  const SourceSpec& source = ctx_.spec().sources[s];
  boost::random::exponential_distribution<double> gap(candidate_rate(s));
  if (!produces(s)) {  // the price does not call for this one
    sim.schedule_in(SimTime::days(gap(arrival_rng_[s])), produce_, s);
    return;
  }
  double kg = source.size_mean_kg;
  if (source.size_sd_kg > 0.0) {
    const auto [mu, sigma] = lognormal_parameters(source.size_mean_kg, source.size_sd_kg);
    kg = boost::random::lognormal_distribution<double>(mu, sigma)(size_rng_[s]);
  }
  const auto whole_kg = std::max<std::int64_t>(1, std::llround(kg));
  if (source.organisation != kNone)
    ctx_.world.organisations[source.organisation].capital -=
        source.buy_price_per_kg * static_cast<double>(whole_kg);
  const std::uint32_t path = source.organisation == kNone ? planner_.fixed_path(s) : kNoPath;
  const std::uint32_t id = ctx_.world.new_shipment(Shipment{s, path, 0, whole_kg, sim.now()});
  ctx_.world.totals.produced_kg += whole_kg;
  ++ctx_.world.totals.produced_count;
  const double hold =
      source.organisation != kNone ? command_.dispatch_delay(source.organisation) : 0.0;
  if (source.organisation != kNone)
    ctx_.signals.load_waiting.emit(id, source.organisation, source.place);
  if (hold > 0.0)
    wait(id, hold);  // nobody to decide that it moves yet
  else
    advance(id);
  sim.schedule_in(SimTime::days(gap(arrival_rng_[s])), produce_, s);
}

void Transport::wait(std::uint32_t id, double days) {
  ctx_.world.shipments[id].pending = ctx_.sim.schedule_in(SimTime::days(days), advance_, id);
}

void Transport::on_advance(Simulation&, const Event& event) {
  advance(event.target);
}

void Transport::advance(std::uint32_t id) {
  World& w = ctx_.world;
  const std::size_t org = organisation_of(w.shipments[id]);
  const double retry = org == kNone ? 0.5 : ctx_.spec().organisations[org].retry_interval;
  if (w.shipments[id].path == kNoPath) {
    const std::uint32_t path = planner_.path_for(w.shipments[id].source);
    if (path == kNoPath) return wait(id, retry);
    w.shipments[id].path = path;
  }
  const std::vector<std::size_t>& path = w.paths[w.shipments[id].path];
  if (w.shipments[id].leg == path.size()) return deliver(id);
  const std::size_t r = path[w.shipments[id].leg];
  const RouteSpec& route = ctx_.spec().routes[r];
  if (route.capacity > 0 && w.route_load[r] >= route.capacity) return wait(id, retry);
  if (org == kNone) {
    ++w.route_load[r];
    w.shipments[id].pending = ctx_.sim.schedule_in(SimTime::zero(), depart_, id);
    return;
  }
  double extra_days = 0.0;
  if (!find_carrier(id, r, extra_days)) return queue_for_carrier(id, r);
  bool failed = false;
  const double delay = coordinate(id, r, failed);
  if (failed) {
    release_reserved_carrier(w.shipments[id]);
    return wait(id, ctx_.spec().organisations[org].coordination_timeout);
  }
  ++w.route_load[r];
  w.shipments[id].pending = ctx_.sim.schedule_in(SimTime::days(delay + extra_days), depart_, id);
}

bool Transport::find_carrier(std::uint32_t id, std::size_t r, double& extra_days) {
  World& w = ctx_.world;
  const RouteSpec& route = ctx_.spec().routes[r];
  const std::size_t o = organisation_of(w.shipments[id]);
  const OrganisationSpec& params = ctx_.spec().organisations[o];
  OrganisationRuntime& org = w.organisations[o];
  if (route.mode != RouteMode::sea) {
    for (std::size_t c : org.cells_at[route.from]) {
      CellRuntime& cell = w.cells[c];
      if (cell.members[kTransporter] - cell.busy_transporters <= 0) continue;
      if (cell.members[kBroker] == 0 && cell.members[kLeader] == 0) continue;
      ++cell.busy_transporters;
      w.shipments[id].carrier = CarrierKind::cell;
      w.shipments[id].carrier_index = static_cast<std::uint32_t>(c);
      return true;
    }
    return false;
  }
  for (std::size_t end : {route.from, route.to}) {
    for (std::size_t v : org.vessels_at[end]) {
      if (w.vessels[v].state != VesselState::idle) continue;
      const VesselSpec& vessel = ctx_.spec().vessels[v];
      w.shipments[id].carrier = CarrierKind::vessel;
      w.shipments[id].carrier_index = static_cast<std::uint32_t>(v);
      w.vessels[v].shipment = id;
      extra_days = params.loading_days;
      w.vessels[v].state = VesselState::loading;
      if (vessel.home != route.from) {  // sails over empty first
        extra_days += travel_days(r, CarrierKind::vessel, static_cast<std::uint32_t>(v));
        w.vessels[v].state = VesselState::positioning;
      }
      const auto capacity =
          std::max<std::int64_t>(1, static_cast<std::int64_t>(vessel.capacity_kg));
      if (w.shipments[id].kg >
          capacity) {  // split off what does not fit; it waits for another boat
        Shipment rest = w.shipments[id];
        rest.kg -= capacity;
        rest.carrier = CarrierKind::none;
        rest.handing_vessel = kNoVessel;
        w.shipments[id].kg = capacity;
        w.totals.in_transit_kg -= rest.kg;
        ++w.totals.split_count;
        const std::uint32_t rest_id = w.new_shipment(rest);
        ctx_.signals.load_waiting.emit(rest_id, o, route.from);
        wait(rest_id, params.retry_interval);
      }
      return true;
    }
  }
  return false;
}

double Transport::coordinate(std::uint32_t id, std::size_t r, bool& failed) {
  World& w = ctx_.world;
  const Shipment& s = w.shipments[id];
  const std::size_t o = organisation_of(s);
  const OrganisationSpec& params = ctx_.spec().organisations[o];
  const std::size_t place = ctx_.spec().routes[r].from;
  // The first channel the organisation has here (the last is always there).
  std::optional<double> attempt;
  for (const auto& channel : channels_)
    if (channel->available(o, place)) {
      attempt = channel->attempt(o, r);
      break;
    }
  if (!attempt) {
    failed = true;
    return 0.0;
  }
  double delay = *attempt;
  if (s.carrier == CarrierKind::cell && w.cells[s.carrier_index].members[kBroker] == 0)
    delay *= 2.0;
  w.organisations[o].capital -= params.handoff_cost;
  return delay;
}

double Transport::travel_days(std::size_t r, CarrierKind carrier, std::uint32_t carrier_index) {
  const RouteSpec& route = ctx_.spec().routes[r];
  if (carrier == CarrierKind::vessel) {
    const VesselSpec& vessel = ctx_.spec().vessels[carrier_index];
    if (vessel.speed_kmh > 0.0 && route.length_km > 0.0) {
      const double mean = route.length_km / (vessel.speed_kmh * 24.0);
      const double sd = route.mean_days > 0.0 ? route.sd_days / route.mean_days * mean : 0.0;
      return draw_travel_days(route.distribution, mean, sd, travel_rng(r));
    }
  }
  return draw_travel_days(route.distribution, route.mean_days, route.sd_days, travel_rng(r));
}

RandomEngine& Transport::travel_rng(std::size_t r) {
  if (!travel_rng_[r])
    travel_rng_[r] =
        std::make_unique<RandomEngine>(ctx_.streams.stream("travel/" + ctx_.spec().routes[r].id));
  return *travel_rng_[r];
}

void Transport::on_depart(Simulation& sim, const Event& event) {
  const std::uint32_t id = event.target;
  World& w = ctx_.world;
  Shipment& s = w.shipments[id];
  const std::size_t r = w.paths[s.path][s.leg];
  const RouteSpec& route = ctx_.spec().routes[r];
  const double tau = travel_days(r, s.carrier, s.carrier_index);
  w.route_last_used[r] = sim.now().in_days();
  finish_handoff(s, route.from);
  ctx_.signals.load_moved.emit(id);
  ctx_.signals.load_departed.emit(id, r);
  if (s.carrier == CarrierKind::vessel) w.vessels[s.carrier_index].state = VesselState::in_transit;
  const std::size_t org = organisation_of(s);
  if (org != kNone)
    w.organisations[org].capital -=
        ctx_.spec().organisations[org].cost_per_kg_km * static_cast<double>(s.kg) * route.length_km;
  if (const auto detection = interdiction_.detect(r, tau, org, route.from)) {
    s.pending =
        sim.schedule_in(SimTime::days(detection->after_days), seize_, id, detection->patrol);
  } else {
    s.pending = sim.schedule_in(SimTime::days(tau), arrive_, id);
  }
}

void Transport::queue_for_carrier(std::uint32_t id, std::size_t r) {
  Shipment& s = ctx_.world.shipments[id];
  const RouteSpec& route = ctx_.spec().routes[r];
  OrganisationRuntime& org = ctx_.world.organisations[organisation_of(s)];
  const Waiter waiter{id, ++s.ticket};
  if (route.mode != RouteMode::sea) {
    org.waiting_for_cell[route.from].push_back(waiter);
    return;
  }
  // A vessel based at either end can carry it.
  org.waiting_for_vessel[route.from].push_back(waiter);
  org.waiting_for_vessel[route.to].push_back(waiter);
}

void Transport::on_carrier_freed(Simulation&, const Event& event) {
  World& w = ctx_.world;
  const std::size_t place = event.payload / 2;
  const bool vessel = event.payload % 2 == 1;
  OrganisationRuntime& org = w.organisations[event.target];
  WaitQueue& queue = vessel ? org.waiting_for_vessel[place] : org.waiting_for_cell[place];
  // Wake queued loads in order for as long as they find a carrier: one new member can free
  // several transporters. A load that finds none goes back to the end of the queue.
  while (!queue.empty()) {
    const Waiter waiter = queue.front();
    queue.pop_front();
    Shipment& s = w.shipments[waiter.shipment];
    if (s.ticket != waiter.ticket) continue;  // woken through its other queue, or gone
    const std::uint32_t ticket = ++s.ticket;
    advance(waiter.shipment);
    if (w.shipments[waiter.shipment].ticket != ticket) return;  // queued again: nothing free here
  }
}
void Transport::free_transporter(std::size_t cell) {
  --ctx_.world.cells[cell].busy_transporters;
  ctx_.announce_carrier(ctx_.spec().cells[cell].organisation, ctx_.spec().cells[cell].place);
}

void Transport::vessel_idle(std::uint32_t v) {
  ctx_.world.vessels[v].state = VesselState::idle;
  ctx_.announce_carrier(ctx_.spec().vessels[v].organisation, ctx_.spec().vessels[v].home, true);
}

void Transport::release_reserved_carrier(Shipment& s) {
  // The leg never started: a vessel has not left home, a transporter goes back to waiting.
  World& w = ctx_.world;
  if (s.carrier == CarrierKind::cell) free_transporter(s.carrier_index);
  if (s.carrier == CarrierKind::vessel) {
    w.vessels[s.carrier_index].shipment = kNoShipment;
    vessel_idle(s.carrier_index);
  }
  s.carrier = CarrierKind::none;
}

void Transport::release_vessel(std::uint32_t v, std::size_t here, std::size_t r) {
  VesselRuntime& vessel = ctx_.world.vessels[v];
  vessel.shipment = kNoShipment;
  if (vessel.state == VesselState::seized) return;
  if (ctx_.spec().vessels[v].home == here) {
    vessel_idle(v);
    return;
  }
  vessel.state = VesselState::returning;
  ctx_.sim.schedule_in(SimTime::days(travel_days(r, CarrierKind::vessel, v)), vessel_home_, v);
}

void Transport::finish_handoff(Shipment& s, std::size_t here) {
  if (s.handing_vessel == kNoVessel) return;
  const std::uint32_t v = s.handing_vessel;
  s.handing_vessel = kNoVessel;
  // It came in on the sea leg just before the current one.
  const std::vector<std::size_t>& path = ctx_.world.paths[s.path];
  release_vessel(v, here, path[s.leg - 1]);
}

std::size_t Transport::end_leg(const Shipment& s, bool seized) {
  const std::size_t r = ctx_.world.paths[s.path][s.leg];
  --ctx_.world.route_load[r];
  const std::size_t org = organisation_of(s);
  if (org != kNone) ctx_.signals.leg_ended.emit(org, r, seized);
  return r;
}

void Transport::on_arrive(Simulation&, const Event& event) {
  const std::uint32_t id = event.target;
  World& w = ctx_.world;
  Shipment& s = w.shipments[id];
  const std::size_t r = end_leg(s, false);
  finish_handoff(s, ctx_.spec().routes[r].from);  // a vessel that landed the load earlier
  if (s.carrier == CarrierKind::cell) free_transporter(s.carrier_index);
  if (s.carrier == CarrierKind::vessel) {
    w.vessels[s.carrier_index].state = VesselState::waiting_handoff;
    w.vessels[s.carrier_index].shipment = kNoShipment;  // the load is ashore
    s.handing_vessel = s.carrier_index;
  }
  s.carrier = CarrierKind::none;
  ++s.leg;
  const std::size_t org = organisation_of(s);
  if (org != kNone && s.leg < w.paths[s.path].size())
    ctx_.signals.load_waiting.emit(id, org, ctx_.spec().routes[r].to);
  advance(id);
}

void Transport::on_seize(Simulation&, const Event& event) {
  const std::uint32_t id = event.target;
  World& w = ctx_.world;
  Shipment& s = w.shipments[id];
  const std::size_t r = end_leg(s, true);
  const CarrierKind carrier = s.carrier;
  const std::uint32_t index = s.carrier_index;
  if (carrier == CarrierKind::cell) free_transporter(index);
  if (carrier == CarrierKind::vessel) w.vessels[index].shipment = kNoShipment;
  ctx_.signals.seizure.emit(carrier, index, event.payload);
  if (carrier == CarrierKind::vessel && w.vessels[index].state != VesselState::seized)
    release_vessel(index, ctx_.spec().routes[r].from, r);  // boat let go: it heads home
  w.totals.seized_kg += s.kg;
  ++w.totals.seized_count;
  ctx_.signals.load_seized.emit(LoadSeizure{.kg = s.kg,
                                            .route = r,
                                            .place = ctx_.spec().routes[r].from,
                                            .by = SeizedBy::patrol,
                                            .seizer = event.payload,
                                            .carrier = carrier,
                                            .carrier_index = index});
  w.end_shipment(id);
}

void Transport::seize_now(std::uint32_t id, SeizedBy by, std::size_t seizer) {
  World& w = ctx_.world;
  Shipment& s = w.shipments[id];
  LoadSeizure seizure{.kg = s.kg,
                      .place = ctx_.spec().sources[s.source].place,
                      .by = by,
                      .seizer = seizer,
                      .carrier = s.carrier,
                      .carrier_index = s.carrier_index};
  if (s.path != kNoPath && s.leg < w.paths[s.path].size()) {  // at the start of a leg, or on it
    const std::size_t r = w.paths[s.path][s.leg];
    seizure.place = ctx_.spec().routes[r].from;
    if (s.carrier == CarrierKind::vessel &&
        w.vessels[s.carrier_index].state == VesselState::in_transit)
      seizure.route = r;
  }
  ctx_.sim.cancel(s.pending);
  ++s.ticket;  // out of any carrier queue
  ctx_.signals.load_moved.emit(id);
  // A load with a carrier has reserved its route (coordinating) or is travelling on it.
  if (s.carrier != CarrierKind::none) --w.route_load[w.paths[s.path][s.leg]];
  if (s.carrier == CarrierKind::cell) free_transporter(s.carrier_index);
  if (s.carrier == CarrierKind::vessel) w.vessels[s.carrier_index].shipment = kNoShipment;
  if (s.handing_vessel != kNoVessel)
    finish_handoff(s, ctx_.spec().routes[w.paths[s.path][s.leg - 1]].to);
  w.totals.seized_kg += s.kg;
  ++w.totals.seized_count;
  ctx_.signals.load_seized.emit(seizure);
  w.end_shipment(id);
}

void Transport::seize_at_place(std::uint32_t id, std::size_t agency) {
  World& w = ctx_.world;
  Shipment& s = w.shipments[id];
  if (s.carrier != CarrierKind::none) {  // coordinated, not yet set off
    --w.route_load[w.paths[s.path][s.leg]];
    release_reserved_carrier(s);
  }
  seize_now(id, SeizedBy::raid, agency);
}

void Transport::on_vessel_home(Simulation&, const Event& event) {
  if (ctx_.world.vessels[event.target].state == VesselState::returning) vessel_idle(event.target);
}

void Transport::deliver(std::uint32_t id) {
  World& w = ctx_.world;
  Shipment& s = w.shipments[id];
  finish_handoff(s, ctx_.spec().markets[ctx_.spec().sources[s.source].market].place);
  const SourceSpec& source = ctx_.spec().sources[s.source];
  const double value =
      static_cast<double>(s.kg) * market_.sell(source.market, static_cast<double>(s.kg));
  w.totals.delivered_kg += s.kg;
  ++w.totals.delivered_count;
  w.totals.revenue_usd += value;
  w.totals.delivery_days_sum += (ctx_.sim.now() - s.created).in_days();
  if (source.organisation != kNone)
    w.organisations[source.organisation].capital +=
        value * (1.0 - ctx_.spec().organisations[source.organisation].bribe_fraction);
  w.end_shipment(id);
}

double Transport::radio_coverage() {
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
                  : std::numeric_limits<double>::quiet_NaN();
  return coverage_;
}

double Transport::capital() const {
  double capital = 0.0;
  for (const OrganisationRuntime& org : ctx_.world.organisations)
    capital += org.capital;
  return capital;
}

namespace {

double number(std::int64_t x) {
  return static_cast<double>(x);
}

double mean_delivery_days(const FlowTotals& t) {
  return t.delivered_count > 0 ? t.delivery_days_sum / number(t.delivered_count)
                               : std::numeric_limits<double>::quiet_NaN();
}

/// The places at either end of a route on which a load set off after `since`, each once.
std::vector<std::size_t> places_in_use(const ModelSpec& spec, const World& w, double since) {
  std::vector<char> used(spec.places.size(), 0);
  for (std::size_t r = 0; r < spec.routes.size(); ++r)
    if (w.route_last_used[r] > since) used[spec.routes[r].from] = used[spec.routes[r].to] = 1;
  std::vector<std::size_t> out;
  for (std::size_t p = 0; p < used.size(); ++p)
    if (used[p]) out.push_back(p);
  return out;
}

/// Area in km² of the convex hull of `places` on an equirectangular projection about their
/// mean latitude (Andrew's monotone chain); 0 for fewer than three places, NaN if one of them
/// has no coordinates.
double hull_area_km2(const ModelSpec& spec, const std::vector<std::size_t>& places) {
  constexpr double kKmPerDegree = 6371.0 * 3.14159265358979323846 / 180.0;
  double mean_lat = 0.0;
  for (std::size_t p : places) {
    if (!spec.places[p].latitude || !spec.places[p].longitude)
      return std::numeric_limits<double>::quiet_NaN();
    mean_lat += *spec.places[p].latitude / static_cast<double>(places.size());
  }
  if (places.size() < 3) return 0.0;
  const double x_scale = kKmPerDegree * std::cos(mean_lat * 3.14159265358979323846 / 180.0);
  std::vector<std::pair<double, double>> pts;
  for (std::size_t p : places)
    pts.emplace_back(*spec.places[p].longitude * x_scale, *spec.places[p].latitude * kKmPerDegree);
  std::sort(pts.begin(), pts.end());
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  if (pts.size() < 3) return 0.0;
  const auto cross = [](const auto& o, const auto& a, const auto& b) {
    return (a.first - o.first) * (b.second - o.second) -
           (a.second - o.second) * (b.first - o.first);
  };
  std::vector<std::pair<double, double>> hull(2 * pts.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {  // lower hull
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0)
      --k;
    hull[k++] = pts[i];
  }
  for (std::size_t i = pts.size() - 1, lower = k + 1; i-- > 0;) {  // upper hull
    while (k >= lower && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0)
      --k;
    hull[k++] = pts[i];
  }
  hull.resize(k - 1);
  double twice = 0.0;
  for (std::size_t i = 0; i < hull.size(); ++i) {
    const auto& a = hull[i];
    const auto& b = hull[(i + 1) % hull.size()];
    twice += a.first * b.second - b.first * a.second;
  }
  return std::abs(twice) / 2.0;
}

}  // namespace

std::span<const Metric<Transport>> Transport::series() {
  static const Metric<Transport> kSeries[] = {
      {{"produced_kg", "kg", "cumulative kilograms produced at sources"},
       [](Transport& m) { return number(m.ctx_.world.totals.produced_kg); }},
      {{"delivered_kg", "kg", "cumulative kilograms delivered to markets"},
       [](Transport& m) { return number(m.ctx_.world.totals.delivered_kg); }},
      {{"seized_kg", "kg", "cumulative kilograms seized"},
       [](Transport& m) { return number(m.ctx_.world.totals.seized_kg); }},
      {{"in_transit_kg", "kg", "kilograms under way or waiting between legs"},
       [](Transport& m) { return number(m.ctx_.world.totals.in_transit_kg); }},
      {{"shipments_produced", "1", "cumulative number of shipments produced"},
       [](Transport& m) { return number(m.ctx_.world.totals.produced_count); }},
      {{"shipments_delivered", "1", "cumulative number of loads delivered"},
       [](Transport& m) { return number(m.ctx_.world.totals.delivered_count); }},
      {{"shipments_seized", "1", "cumulative number of loads seized"},
       [](Transport& m) { return number(m.ctx_.world.totals.seized_count); }},
      {{"shipments_in_transit", "1", "number of loads under way or waiting"},
       [](Transport& m) { return number(m.ctx_.world.totals.in_transit_count); }},
      {{"shipments_split", "1",
        "cumulative number of loads split off because a vessel was too small"},
       [](Transport& m) { return number(m.ctx_.world.totals.split_count); }},
      {{"revenue_usd", "USD", "cumulative sale value of delivered kilograms at market prices"},
       [](Transport& m) { return m.ctx_.world.totals.revenue_usd; }},
      {{"capital_usd", "USD", "capital of all organisations"},
       [](Transport& m) { return m.capital(); }},
      {{"mean_delivery_days", "d",
        "mean time from production to delivery of delivered loads (NaN before the first)"},
       [](Transport& m) { return mean_delivery_days(m.ctx_.world.totals); }},
      {{"routes_in_use", "1", "routes on which a load set off during the last sample interval"},
       [](Transport& m) {
         const double since = m.ctx_.now() - m.ctx_.spec().sample_interval_days;
         double used = 0;
         for (double t : m.ctx_.world.route_last_used)
           used += t > since ? 1 : 0;
         return used;
       }},
      {{"places_in_use", "1",
        "places at either end of a route on which a load set off during the last sample "
        "interval (the active nodes of the trafficking network)"},
       [](Transport& m) {
         const double since = m.ctx_.now() - m.ctx_.spec().sample_interval_days;
         return static_cast<double>(places_in_use(m.ctx_.spec(), m.ctx_.world, since).size());
       }},
      {{"area_in_use_km2", "km2",
        "area of the convex hull of those places (equirectangular projection); 0 for fewer "
        "than three, NaN if one has no coordinates"},
       [](Transport& m) {
         const double since = m.ctx_.now() - m.ctx_.spec().sample_interval_days;
         return hull_area_km2(m.ctx_.spec(), places_in_use(m.ctx_.spec(), m.ctx_.world, since));
       }},
      {{"vessels_active", "1", "vessels not seized"},
       [](Transport& m) { return number(m.ctx_.world.vessels_active); }},
      {{"vessels_in_transit", "1", "vessels carrying a load on a sea leg (on the high seas)"},
       [](Transport& m) {
         return static_cast<double>(std::count_if(
             m.ctx_.world.vessels.begin(), m.ctx_.world.vessels.end(),
             [](const VesselRuntime& v) { return v.state == VesselState::in_transit; }));
       }},
      {{"handoffs_radio", "1", "cumulative hand-offs coordinated over radio"},
       [](Transport& m) { return number(m.ctx_.world.totals.handoffs_radio); }},
      {{"handoffs_fallback", "1", "cumulative hand-off attempts over fallback channels"},
       [](Transport& m) { return number(m.ctx_.world.totals.handoffs_fallback); }},
      {{"leaks", "1", "cumulative fallback communications intercepted by enforcement"},
       [](Transport& m) { return number(m.ctx_.world.totals.leaks); }},
      {{"relays_up", "1", "relays in operation"},
       [](Transport& m) { return number(m.ctx_.world.relays_up); }},
      {{"radio_coverage", "1",
        "fraction of active cells whose place has radio to a control centre"},
       [](Transport& m) { return m.radio_coverage(); }},
      {{"comm_network_size", "1", "relays up in the communication network"},
       [](Transport& m) { return static_cast<double>(m.ctx_.comms.size()); }},
      {{"comm_network_efficiency", "1",
        "global efficiency of the network of relays up and their links"},
       [](Transport& m) { return m.ctx_.comms.global_efficiency(); }},
  };
  return kSeries;
}

std::span<const Metric<Transport>> Transport::summary() {
  static const Metric<Transport> kSummary[] = {
      {{"produced_kg", "kg", "kilograms produced over the run"},
       [](Transport& m) { return number(m.ctx_.world.totals.produced_kg); }},
      {{"delivered_kg", "kg", "kilograms delivered over the run"},
       [](Transport& m) { return number(m.ctx_.world.totals.delivered_kg); }},
      {{"seized_kg", "kg", "kilograms seized over the run"},
       [](Transport& m) { return number(m.ctx_.world.totals.seized_kg); }},
      {{"in_transit_kg", "kg", "kilograms still under way at the end"},
       [](Transport& m) { return number(m.ctx_.world.totals.in_transit_kg); }},
      {{"seizure_fraction", "1",
        "seized kg / (delivered kg + seized kg); NaN if nothing arrived or was seized"},
       [](Transport& m) {
         const FlowTotals& t = m.ctx_.world.totals;
         const double ended = number(t.delivered_kg + t.seized_kg);
         return ended > 0 ? number(t.seized_kg) / ended : std::numeric_limits<double>::quiet_NaN();
       }},
      {{"revenue_usd", "USD", "sale value of delivered kilograms"},
       [](Transport& m) { return m.ctx_.world.totals.revenue_usd; }},
      {{"capital_usd", "USD", "capital of all organisations at the end"},
       [](Transport& m) { return m.capital(); }},
      {{"shipments_produced", "1", "shipments produced over the run"},
       [](Transport& m) { return number(m.ctx_.world.totals.produced_count); }},
      {{"shipments_delivered", "1", "shipments delivered over the run"},
       [](Transport& m) { return number(m.ctx_.world.totals.delivered_count); }},
      {{"shipments_seized", "1", "shipments seized over the run"},
       [](Transport& m) { return number(m.ctx_.world.totals.seized_count); }},
      {{"shipments_in_transit", "1", "shipments under way or waiting at the end"},
       [](Transport& m) { return number(m.ctx_.world.totals.in_transit_count); }},
      {{"mean_delivery_days", "d",
        "mean time from production to delivery of delivered shipments; NaN if none"},
       [](Transport& m) { return mean_delivery_days(m.ctx_.world.totals); }},
  };
  return kSummary;
}

}  // namespace interdict::model
