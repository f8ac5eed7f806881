// TraffickingModel: the production, transport, interdiction and observation mechanisms.
#include "model/TraffickingModel.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace interdict::model {

namespace {

const std::array<MetricInfo, 10> kSeries{{
    {"produced_kg", "kg", "cumulative kilograms produced at sources"},
    {"delivered_kg", "kg", "cumulative kilograms delivered to markets"},
    {"seized_kg", "kg", "cumulative kilograms seized by patrols"},
    {"in_transit_kg", "kg", "kilograms in shipments under way"},
    {"shipments_produced", "1", "cumulative number of shipments produced"},
    {"shipments_delivered", "1", "cumulative number of shipments delivered"},
    {"shipments_seized", "1", "cumulative number of shipments seized"},
    {"shipments_in_transit", "1", "number of shipments under way"},
    {"revenue_usd", "USD", "cumulative sale value of delivered kilograms at market prices"},
    {"mean_delivery_days", "d",
     "mean time from production to delivery of delivered shipments (NaN before the first)"},
}};

}  // namespace

std::pair<double, double> lognormal_parameters(double mean, double sd) {
  const double sigma2 = std::log1p((sd * sd) / (mean * mean));
  return {std::log(mean) - sigma2 / 2.0, std::sqrt(sigma2)};
}

std::span<const MetricInfo> TraffickingModel::series() {
  return kSeries;
}

TraffickingModel::TraffickingModel(const ModelSpec& spec, Simulation& sim,
                                   const RandomStreams& streams, Recorder& recorder)
    : spec_(spec), recorder_(recorder), patrols_on_route_(spec.routes.size()) {
  production_ = sim.add_handler<&TraffickingModel::on_production>("production", *this);
  leg_end_ = sim.add_handler<&TraffickingModel::on_leg_end>("leg_end", *this);
  seizure_ = sim.add_handler<&TraffickingModel::on_seizure>("seizure", *this);
  sample_ = sim.add_handler<&TraffickingModel::on_sample>("sample", *this);

  const RouteNetwork network(spec.places, spec.routes);
  for (const SourceSpec& source : spec.sources) {
    auto path = network.fastest_path(source.place, spec.markets.at(source.market).place);
    if (!path) throw std::logic_error("source '" + source.id + "' cannot reach its market");
    paths_.push_back(std::move(*path));
    arrival_rng_.push_back(streams.stream("arrivals/" + source.id));
    size_rng_.push_back(streams.stream("sizes/" + source.id));
  }
  for (const RouteSpec& route : spec.routes)
    travel_rng_.push_back(streams.stream("travel/" + route.id));
  for (std::size_t p = 0; p < spec.patrols.size(); ++p) {
    patrols_on_route_.at(spec.patrols[p].route).push_back(p);
    detection_rng_.push_back(streams.stream("detection/" + spec.patrols[p].id));
  }

  recorder_.declare_series(kSeries);
  for (std::uint32_t s = 0; s < spec.sources.size(); ++s) {
    const SourceSpec& source = spec.sources[s];
    boost::random::exponential_distribution<double> gap(source.rate_per_day);
    sim.schedule(SimTime::days(source.start_day + gap(arrival_rng_[s])), production_, s);
  }
  sim.schedule(SimTime::zero(), sample_, 0, 0, Priority::late);
  sim.stop_at(SimTime::days(spec.duration_days));
}

void TraffickingModel::on_production(Simulation& sim, const Event& event) {
  const std::uint32_t s = event.target;
  const SourceSpec& source = spec_.sources[s];
  double kg = source.size_mean_kg;
  if (source.size_sd_kg > 0.0) {
    const auto [mu, sigma] = lognormal_parameters(source.size_mean_kg, source.size_sd_kg);
    kg = boost::random::lognormal_distribution<double>(mu, sigma)(size_rng_[s]);
  }
  const auto whole_kg = std::max<std::int64_t>(1, std::llround(kg));
  const std::uint32_t id = new_shipment(Shipment{s, 0, whole_kg, sim.now()});
  totals_.produced_kg += whole_kg;
  totals_.in_transit_kg += whole_kg;
  ++totals_.produced_count;
  ++totals_.in_transit_count;
  if (paths_[s].empty()) {  // produced at the market itself
    sim.schedule(sim.now(), leg_end_, id);
  } else {
    start_leg(sim, id);
  }
  boost::random::exponential_distribution<double> gap(source.rate_per_day);
  sim.schedule_in(SimTime::days(gap(arrival_rng_[s])), production_, s);
}

void TraffickingModel::start_leg(Simulation& sim, std::uint32_t id) {
  const Shipment& shipment = shipments_[id];
  const std::size_t route = paths_[shipment.source][shipment.leg];
  const SimTime duration = draw_travel_time(route);
  const double now = sim.now().in_days();
  for (std::size_t p : patrols_on_route_[route]) {
    const PatrolSpec& patrol = spec_.patrols[p];
    if (now < patrol.start_day || now >= patrol.end_day) continue;
    if (uniform_(detection_rng_[p]) < patrol.detection_probability) {
      sim.schedule_in(duration * uniform_(detection_rng_[p]), seizure_, id);
      return;
    }
  }
  sim.schedule_in(duration, leg_end_, id);
}

SimTime TraffickingModel::draw_travel_time(std::size_t r) {
  const RouteSpec& route = spec_.routes[r];
  switch (route.distribution) {
    case TravelTimeDistribution::fixed:
      return SimTime::days(route.mean_days);
    case TravelTimeDistribution::exponential:
      return SimTime::days(
          boost::random::exponential_distribution<double>(1.0 / route.mean_days)(travel_rng_[r]));
    case TravelTimeDistribution::lognormal: {
      if (route.sd_days <= 0.0) return SimTime::days(route.mean_days);
      const auto [mu, sigma] = lognormal_parameters(route.mean_days, route.sd_days);
      return SimTime::days(
          boost::random::lognormal_distribution<double>(mu, sigma)(travel_rng_[r]));
    }
  }
  throw std::logic_error("unknown travel time distribution");
}

void TraffickingModel::on_leg_end(Simulation& sim, const Event& event) {
  Shipment& shipment = shipments_[event.target];
  ++shipment.leg;
  if (shipment.leg < paths_[shipment.source].size()) {
    start_leg(sim, event.target);
    return;
  }
  const MarketSpec& market = spec_.markets[spec_.sources[shipment.source].market];
  totals_.delivered_kg += shipment.kg;
  ++totals_.delivered_count;
  totals_.revenue_usd += static_cast<double>(shipment.kg) * market.price_per_kg;
  totals_.delivery_days_sum += (sim.now() - shipment.created).in_days();
  end_shipment(event.target);
}

void TraffickingModel::on_seizure(Simulation&, const Event& event) {
  totals_.seized_kg += shipments_[event.target].kg;
  ++totals_.seized_count;
  end_shipment(event.target);
}

void TraffickingModel::on_sample(Simulation& sim, const Event& event) {
  check_conservation();
  const FlowTotals& t = totals_;
  const double mean_delivery = t.delivered_count > 0
                                   ? t.delivery_days_sum / static_cast<double>(t.delivered_count)
                                   : std::numeric_limits<double>::quiet_NaN();
  const std::array<double, kSeries.size()> values{static_cast<double>(t.produced_kg),
                                                  static_cast<double>(t.delivered_kg),
                                                  static_cast<double>(t.seized_kg),
                                                  static_cast<double>(t.in_transit_kg),
                                                  static_cast<double>(t.produced_count),
                                                  static_cast<double>(t.delivered_count),
                                                  static_cast<double>(t.seized_count),
                                                  static_cast<double>(t.in_transit_count),
                                                  t.revenue_usd,
                                                  mean_delivery};
  recorder_.sample(sim.now(), values);
  // Times as index * interval, so that no rounding accumulates over a long run.
  const std::uint64_t next = event.payload + 1;
  const double next_day = static_cast<double>(next) * spec_.sample_interval_days;
  if (next_day <= spec_.duration_days)
    sim.schedule(SimTime::days(next_day), sample_, 0, next, Priority::late);
}

void TraffickingModel::finish() {
  check_conservation();
  const FlowTotals& t = totals_;
  const double ended_kg = static_cast<double>(t.delivered_kg + t.seized_kg);
  const std::array<std::pair<MetricInfo, double>, 6> summary{{
      {{"produced_kg", "kg", "kilograms produced over the run"},
       static_cast<double>(t.produced_kg)},
      {{"delivered_kg", "kg", "kilograms delivered over the run"},
       static_cast<double>(t.delivered_kg)},
      {{"seized_kg", "kg", "kilograms seized over the run"}, static_cast<double>(t.seized_kg)},
      {{"in_transit_kg", "kg", "kilograms still under way at the end"},
       static_cast<double>(t.in_transit_kg)},
      {{"seizure_fraction", "1",
        "seized kg / (delivered kg + seized kg); NaN if nothing arrived or was seized"},
       ended_kg > 0 ? static_cast<double>(t.seized_kg) / ended_kg
                    : std::numeric_limits<double>::quiet_NaN()},
      {{"revenue_usd", "USD", "sale value of delivered kilograms"}, t.revenue_usd},
  }};
  for (const auto& [metric, value] : summary)
    recorder_.summary(metric, value);
}

std::uint32_t TraffickingModel::new_shipment(const Shipment& s) {
  if (!free_shipments_.empty()) {
    const std::uint32_t id = free_shipments_.back();
    free_shipments_.pop_back();
    shipments_[id] = s;
    return id;
  }
  shipments_.push_back(s);
  return static_cast<std::uint32_t>(shipments_.size() - 1);
}

void TraffickingModel::end_shipment(std::uint32_t id) {
  totals_.in_transit_kg -= shipments_[id].kg;
  --totals_.in_transit_count;
  free_shipments_.push_back(id);
}

void TraffickingModel::check_conservation() const {
  const FlowTotals& t = totals_;
  if (t.produced_kg != t.delivered_kg + t.seized_kg + t.in_transit_kg || t.in_transit_kg < 0)
    throw std::logic_error(
        "kilogram conservation violated: produced " + std::to_string(t.produced_kg) +
        " != delivered " + std::to_string(t.delivered_kg) + " + seized " +
        std::to_string(t.seized_kg) + " + in transit " + std::to_string(t.in_transit_kg));
}

}  // namespace interdict::model
