// RunLimits: the sample, load and firing counts of a run, estimated from its spec.
#include "scenario/RunLimits.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <vector>

namespace interdict::scenario {

namespace {

using namespace interdict::model;

/// A count as read in a message: "36500", "3.65e+09".
std::string about(double x) {
  std::ostringstream out;
  out.precision(3);
  out << x;
  return out.str();
}

/// A time as read in a message: "365", "0.001".
std::string days(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

void check_samples(const ScenarioReader& r, const ModelSpec& spec) {
  const double samples = std::floor(spec.duration_days / spec.sample_interval_days) + 1.0;
  if (samples <= kMaxSamples) return;
  throw r.error_at_path("output", "sample_interval",
                        "sampling a " + days(spec.duration_days) + "-day run every " +
                            days(spec.sample_interval_days) + " days records " + about(samples) +
                            " samples, more than the " + about(kMaxSamples) +
                            " a run may have: sample less often");
}

/// `when` conditions are checked on a schedule of their own, bounded like the samples.
void check_condition_checks(const ScenarioReader& r, const ModelSpec& spec) {
  const bool conditions =
      std::any_of(spec.interventions.begin(), spec.interventions.end(),
                  [](const InterventionSpec& i) { return i.trigger == TriggerKind::when; });
  const double checks = std::floor(spec.duration_days / spec.check_interval_days) + 1.0;
  if (!conditions || checks <= kMaxSamples) return;
  throw r.error_at_path("simulation", "check_interval",
                        "checking the `when` conditions of a " + days(spec.duration_days) +
                            "-day run every " + days(spec.check_interval_days) + " days makes " +
                            about(checks) + " checks, more than the " + about(kMaxSamples) +
                            " a run may have: check less often");
}

/// Loads a source may create in a run, each counted as the pieces its organisation's smallest
/// vessel splits it into: at the rate of its candidate productions, which a source that answers
/// its market's price draws at the highest price its market can reach.
double expected_loads(const ModelSpec& spec, const SourceSpec& source) {
  double pieces = 1.0;
  if (source.organisation != kNone) {
    double smallest = kNever;
    for (const VesselSpec& v : spec.vessels)
      if (v.organisation == source.organisation)
        smallest = std::min(smallest, std::max(1.0, std::floor(v.capacity_kg)));
    if (smallest < kNever) pieces = std::max(1.0, std::ceil(source.size_mean_kg / smallest));
  }
  const MarketSpec& market = spec.markets[source.market];
  const double most = market.demand_kg_per_day > 0.0 && source.supply_elasticity > 0.0
                          ? std::pow(market.price_cap, source.supply_elasticity)
                          : 1.0;
  return source.rate_per_day * most * std::max(0.0, spec.duration_days - source.start_day) * pieces;
}

void check_shipments(const ScenarioReader& r, const ModelSpec& spec) {
  double total = 0.0;
  double most = 0.0;
  std::size_t largest = 0;
  for (std::size_t s = 0; s < spec.sources.size(); ++s) {
    const double loads = expected_loads(spec, spec.sources[s]);
    total += loads;
    if (loads > most) {
      most = loads;
      largest = s;
    }
  }
  if (total <= kMaxShipments) return;
  const std::string message =
      "the sources would create about " + about(total) +
      " loads in a run (rate x days producing, summed over sources, a load counting as the "
      "pieces its organisation's smallest vessel splits it into, and a source that answers its "
      "market's price at the rate its highest price would call for), more than the " +
      about(kMaxShipments) + " a run may have: lower the rates or the duration";
  if (r.root().contains("generate")) throw r.error_at_path("generate", "shipment_rate", message);
  throw r.error_at_path("sources[" + std::to_string(largest) + "]", "rate", message);
}

/// The route planner keeps a tree over every place and route for each (organisation, market)
/// its sources supply, and another for probing (32 bytes a place and 25 a route in all), and
/// checks at set-up that each supplied market is reached, one search back from each.
void check_planning(const ScenarioReader& r, const ModelSpec& spec) {
  std::set<std::pair<std::size_t, std::size_t>> pairs;
  std::set<std::size_t> markets;
  for (const SourceSpec& source : spec.sources) {
    markets.insert(source.market);
    if (source.organisation != kNone) pairs.insert({source.organisation, source.market});
  }
  const auto places = static_cast<double>(spec.places.size());
  const auto routes = static_cast<double>(spec.routes.size());
  const double bytes = static_cast<double>(pairs.size()) * (32.0 * places + 25.0 * routes);
  const double steps =
      static_cast<double>(markets.size()) * (routes + places * std::log2(places + 2.0));
  if (bytes <= kMaxPlanningBytes && steps <= kMaxSetupSteps) return;
  const bool memory = bytes / kMaxPlanningBytes >= steps / kMaxSetupSteps;
  const std::string message =
      memory ? "route planning would keep about " + about(bytes) +
                   " bytes (a tree over every place and route per organisation and market its "
                   "sources supply), more than the " +
                   about(kMaxPlanningBytes) + " allowed: fewer markets or places"
             : "checking that the sources reach their markets takes about " + about(steps) +
                   " steps (a search over every place from each market sources supply), more "
                   "than the " +
                   about(kMaxSetupSteps) + " allowed: fewer markets or places";
  if (r.root().contains("generate")) throw r.error_at_path("generate", "markets", message);
  throw r.error_at_path("sources[0]", "market", message);
}

/// Times an intervention fires by its own trigger: `at` once, `every` from its start to its
/// until or the end of the run; `when` counts nothing here (at most once per two samples, so
/// bounded with them) and `after` is counted by firing_counts.
double own_firings(const InterventionSpec& i, double duration) {
  switch (i.trigger) {
    case TriggerKind::at:
      return i.at_day <= duration ? 1.0 : 0.0;
    case TriggerKind::every: {
      const double end = std::min(i.until_day, duration);
      return i.at_day <= end ? std::floor((end - i.at_day) / i.every_days) + 1.0 : 0.0;
    }
    default:
      return 0.0;
  }
}

/// Firings of every intervention in a run; an `after` fires as often as the one it follows (a
/// loop of `after`s has nothing to start it and never fires).
std::vector<double> firing_counts(const ModelSpec& spec) {
  const auto& all = spec.interventions;
  std::vector<double> count(all.size(), -1.0);  // -1: not known yet
  for (std::size_t k = 0; k < all.size(); ++k) {
    std::vector<std::size_t> chain;  // k and the `after`s it follows, up to a known count
    std::size_t at = k;
    while (count[at] < 0.0 && all[at].trigger == TriggerKind::after && chain.size() <= all.size()) {
      chain.push_back(at);
      at = all[at].after;
    }
    if (count[at] < 0.0 && all[at].trigger != TriggerKind::after)
      count[at] = own_firings(all[at], spec.duration_days);
    const double value = std::max(count[at], 0.0);
    for (std::size_t c : chain)
      count[c] = value;
  }
  return count;
}

void check_firings(const ScenarioReader& r, const ModelSpec& spec) {
  const std::vector<double> count = firing_counts(spec);
  double total = 0.0;
  for (double c : count)
    total += c;
  if (total <= kMaxFirings) return;
  std::size_t most = 0;
  for (std::size_t k = 0; k < count.size(); ++k)
    if (spec.interventions[k].trigger == TriggerKind::every && count[k] > count[most]) most = k;
  throw r.error_at_path(
      "interventions[" + std::to_string(most) + "]",
      spec.interventions[most].trigger == TriggerKind::every ? "every" : "id",
      "the interventions would fire about " + about(total) +
          " times in a run (every: from start to until or the end; after: as often as the one "
          "followed), more than the " +
          about(kMaxFirings) + " a run may have: fire less often");
}

/// Roads each place adds before the backbone, as NetworkGenerator makes them.
double roads_per_place(const GeneratorSpec& g) {
  const double half = static_cast<double>(std::max(1, g.degree) / 2);
  const auto places = static_cast<double>(g.places);
  if (g.topology == Topology::geometric) return std::min(half + 1.0, places);
  return g.topology == Topology::small_world ? half : std::max(1.0, half);
}

}  // namespace

void check_generator_limits(const ScenarioReader& r, const GeneratorSpec& g) {
  const auto places = static_cast<double>(g.places);
  const auto relays = static_cast<double>(g.relays);
  const double roads = 2.0 * (places * roads_per_place(g) + places - 1.0);
  const double sea_legs = static_cast<double>(g.sources) * static_cast<double>(g.ports);
  if (roads + sea_legs > kMaxGeneratedRoutes)
    throw r.error_at_path("generate", sea_legs > roads ? "sources" : "places",
                          "the generated network would have about " + about(roads + sea_legs) +
                              " routes (" + about(roads) + " for roads, " + about(sea_legs) +
                              " sea legs: sources x ports), more than the " +
                              about(kMaxGeneratedRoutes) + " it may have");
  // Nearest places and relays come from k-d trees (log n a query); a relay covers the places
  // within 1.2 x side / sqrt(relays per organisation): about 4.5 x places / that many; relays
  // at the same distance from one another are ranked by a scan of their organisation's.
  const double orgs = std::max(1.0, static_cast<double>(g.organisations));
  const double per_org = std::max(1.0, relays / orgs);
  const double log_places = std::log2(places + 2.0);
  const double search =
      g.topology == Topology::geometric ? places * (roads_per_place(g) + 4.0) * log_places : 0.0;
  const double cover = relays * places * std::min(1.0, 4.6 / per_org);
  const double ties = relays * per_org * std::min(1.0, 4.0 * per_org / std::max(1.0, places));
  const double relay_steps = cover + relays * 8.0 * std::log2(per_org + 2.0) + ties;
  if (search + relay_steps > kMaxGeneratorSteps)
    throw r.error_at_path(
        "generate", search >= relay_steps ? "places" : "relays",
        "generating the network takes about " + about(search + relay_steps) +
            " steps (a search among the places for each place's roads, and the places each "
            "relay covers), more than the " +
            about(kMaxGeneratorSteps) + " allowed: use fewer places or relays");
}

void check_run_limits(const ScenarioReader& reader, const ModelSpec& spec) {
  check_samples(reader, spec);
  check_condition_checks(reader, spec);
  check_shipments(reader, spec);
  check_planning(reader, spec);
  check_firings(reader, spec);
}

}  // namespace interdict::scenario
