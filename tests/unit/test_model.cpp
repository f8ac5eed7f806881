// Model mechanisms checked against numbers worked out by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/RouteNetwork.hpp"
#include "model/TraffickingModel.hpp"
#include "model/TravelTime.hpp"
#include "unit/ModelRun.hpp"

using namespace interdict;
using namespace interdict::model;
using interdict::testing::defaults;
using interdict::testing::entry;
using interdict::testing::ModelRun;
using interdict::testing::run_model;

namespace {

/// A chain source -> p1 -> ... -> market of `legs` routes, each with a fixed travel time and
/// a patrol with the given detection probability.
ModelSpec chain(std::size_t legs, double leg_days, double detection, double rate, double duration) {
  ModelSpec spec = defaults().model;
  spec.duration_days = duration;
  spec.sample_interval_days = 10.0;
  for (std::size_t i = 0; i <= legs; ++i)
    spec.places.push_back(entry<PlaceSpec>([&](PlaceSpec& e) { e.id = "p" + std::to_string(i); }));
  for (std::size_t i = 0; i < legs; ++i) {
    RouteSpec r = entry<RouteSpec>([&](RouteSpec& e) {
      e.id = "r" + std::to_string(i);
      e.from = i;
      e.to = i + 1;
    });
    r.distribution = TravelTimeDistribution::fixed;
    r.mean_days = leg_days;
    spec.routes.push_back(r);
    if (detection > 0)
      spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
        e.id = "patrol" + std::to_string(i);
        e.route = i;
        e.detection_probability = detection;
      }));
  }
  spec.markets.push_back(MarketSpec{.id = "m", .place = legs, .price_per_kg = 1000.0});
  spec.sources.push_back(entry<SourceSpec>([&](SourceSpec& e) {
    e.id = "s";
    e.place = 0;
    e.market = 0;
    e.rate_per_day = rate;
    e.size_mean_kg = 100.0;
  }));
  return spec;
}

ModelRun run(const ModelSpec& spec, std::uint64_t seed = 1, std::uint64_t replicate = 0) {
  return run_model(spec, seed, replicate);
}

}  // namespace

TEST_CASE("fastest path picks the least mean travel time", "[model]") {
  std::vector<PlaceSpec> places{{.id = "a"}, {.id = "b"}, {.id = "c"}, {.id = "d"}};
  std::vector<RouteSpec> routes{{.id = "ab", .from = 0, .to = 1},
                                {.id = "bd", .from = 1, .to = 3},
                                {.id = "ac", .from = 0, .to = 2},
                                {.id = "cd", .from = 2, .to = 3},
                                {.id = "ad", .from = 0, .to = 3}};
  const double means[] = {1.0, 1.0, 0.5, 0.5, 3.0};
  for (std::size_t i = 0; i < routes.size(); ++i)
    routes[i].mean_days = means[i];
  const RouteNetwork network(places, routes);
  CHECK(network.fastest_path(0, 3) == std::vector<std::size_t>{2, 3});
  CHECK(network.fastest_path(3, 0) == std::nullopt);
  CHECK(network.fastest_path(1, 1) == std::vector<std::size_t>{});
}

TEST_CASE("Poisson production over T gives rate x T shipments", "[model]") {
  // 20 replicates of rate 1/day over 200 days: total ~ Poisson(4000), sd 63.
  std::int64_t total = 0;
  for (std::uint64_t rep = 0; rep < 20; ++rep)
    total += run(chain(1, 1.0, 0.0, 1.0, 200.0), 5, rep).totals.produced_count;
  CHECK(std::abs(static_cast<double>(total) - 4000.0) < 4.0 * std::sqrt(4000.0));
}

TEST_CASE("seized fraction over k patrolled legs converges to 1-(1-p)^k", "[model]") {
  const std::size_t k = GENERATE(1, 3);
  const double p = 0.1;
  const auto out = run(chain(k, 0.5, p, 10.0, 1000.0), 11);
  const auto ended = static_cast<double>(out.totals.delivered_count + out.totals.seized_count);
  const double expected = 1.0 - std::pow(1.0 - p, static_cast<double>(k));
  const double observed = static_cast<double>(out.totals.seized_count) / ended;
  CAPTURE(k, ended, expected, observed);
  CHECK(std::abs(observed - expected) < 4.0 * std::sqrt(expected * (1 - expected) / ended));
}

TEST_CASE("with fixed travel times every delivery takes the sum of the legs", "[model]") {
  const auto out = run(chain(4, 0.75, 0.0, 2.0, 100.0));
  REQUIRE(out.totals.delivered_count > 100);
  CHECK(out.recorder.values("mean_delivery_days").back() == Approx(3.0).epsilon(1e-12));
  CHECK(out.totals.seized_kg == 0);
  CHECK(out.recorder.summary_value("revenue_usd") ==
        Approx(1000.0 * static_cast<double>(out.totals.delivered_kg)));
}

TEST_CASE("a patrol acts only while active", "[model]") {
  ModelSpec spec = chain(1, 1.0, 1.0, 5.0, 100.0);
  spec.patrols[0].start_day = 50.0;
  const auto out = run(spec);
  const auto& seized = out.recorder.values("seized_kg");
  const auto& times = out.recorder.times();
  for (std::size_t i = 0; i < times.size(); ++i)
    if (times[i] <= 50.0) CHECK(seized[i] == 0.0);
  CHECK(out.totals.seized_count > 100);
  // Detection probability 1 from day 50: what sets off later never arrives, and what set off
  // before has arrived by day 51 (legs take exactly one day), so nothing changes after t = 60.
  CHECK(out.recorder.times()[6] == 60.0);
  CHECK(out.recorder.values("shipments_delivered").back() ==
        out.recorder.values("shipments_delivered")[6]);
}

TEST_CASE("the flows table holds the loads that set out on each route in each interval",
          "[model][network]") {
  // Two legs of exactly one sample interval (10 days), loads without an organisation (no
  // carriers, no waiting): a load sets out on r0 the moment it is produced and on r1 ten days
  // later, and arrives ten days after that. So r0's row at sample t holds what was produced in
  // (t - 10, t], the step of produced_kg and shipments_produced between the samples; r1's row at
  // t is r0's at t - 10; and what has been delivered by t is what set out on r1 by t - 10.
  const auto out = run(chain(2, 10.0, 0.0, 2.0, 200.0));
  const auto& time = out.column("network/flows", "time").numbers;
  const auto& tie = out.column("network/flows", "tie").numbers;
  const auto& kg = out.column("network/flows", "kg").numbers;
  const auto& loads = out.column("network/flows", "loads").numbers;
  REQUIRE(time.size() > 20);
  std::map<std::pair<double, double>, std::pair<double, double>> row;  // (time, tie): kg, loads
  for (std::size_t i = 0; i < time.size(); ++i) {
    CHECK(kg[i] > 0.0);
    CHECK(loads[i] >= 1.0);
    if (i > 0) CHECK(std::pair(time[i - 1], tie[i - 1]) < std::pair(time[i], tie[i]));
    row[{time[i], tie[i]}] = {kg[i], loads[i]};
  }
  const auto flow = [&](double t, double route) {
    const auto at = row.find({t, route});
    return at == row.end() ? std::pair(0.0, 0.0) : at->second;
  };
  const auto& times = out.recorder.times();
  const auto& produced_kg = out.recorder.values("produced_kg");
  const auto& produced = out.recorder.values("shipments_produced");
  const auto& delivered = out.recorder.values("shipments_delivered");
  double set_out_on_r1 = 0.0;  // by t - 10
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t = times[i];
    CAPTURE(t);
    CHECK(flow(t, 0) == std::pair(produced_kg[i] - (i > 0 ? produced_kg[i - 1] : 0.0),
                                  produced[i] - (i > 0 ? produced[i - 1] : 0.0)));
    CHECK(flow(t, 1) == flow(t - 10.0, 0));
    set_out_on_r1 += flow(t - 10.0, 1).second;
    CHECK(delivered[i] == set_out_on_r1);
  }
  // Every load on r0, and on r1 all but those produced in the last interval.
  CHECK(std::accumulate(kg.begin(), kg.end(), 0.0) ==
        2.0 * static_cast<double>(out.totals.produced_kg) - flow(200.0, 0).first);
}

TEST_CASE("the seizures table holds every load seized, on the leg where it was seized",
          "[model][network]") {
  // Three legs patrolled with detection probability 0.3 each: a row per seizure, on route i
  // from place i (tie number i, node number i, as routes and places come first), by patrol i;
  // the rows' kilograms add up to seized_kg; and each leg seizes 0.3 of the loads that set out
  // on it, which the flows table counts.
  const double p = 0.3;
  const auto out = run(chain(3, 0.5, p, 10.0, 200.0), 7);
  const auto& tie = out.column("network/seizures", "tie").numbers;
  const auto& node = out.column("network/seizures", "node").numbers;
  const auto& kg = out.column("network/seizures", "kg").numbers;
  const auto& time = out.column("network/seizures", "time").numbers;
  const auto& kind = out.column("network/seizures", "kind").strings;
  const auto& by = out.column("network/seizures", "by").strings;
  REQUIRE(tie.size() == static_cast<std::size_t>(out.totals.seized_count));
  CHECK(std::accumulate(kg.begin(), kg.end(), 0.0) == static_cast<double>(out.totals.seized_kg));
  CHECK(std::accumulate(kg.begin(), kg.end(), 0.0) == out.recorder.summary_value("seized_kg"));
  CHECK(std::is_sorted(time.begin(), time.end()));
  std::array<double, 3> seized{}, set_out{};
  for (std::size_t i = 0; i < tie.size(); ++i) {
    CHECK(node[i] == tie[i]);
    CHECK(kind[i] == "land");
    CHECK(by[i] == "patrol" + std::to_string(static_cast<int>(tie[i])));
    seized.at(static_cast<std::size_t>(tie[i])) += 1.0;
  }
  const auto& flow_tie = out.column("network/flows", "tie").numbers;
  const auto& flow_loads = out.column("network/flows", "loads").numbers;
  for (std::size_t i = 0; i < flow_tie.size(); ++i)
    set_out.at(static_cast<std::size_t>(flow_tie[i])) += flow_loads[i];
  CHECK(set_out[0] == static_cast<double>(out.totals.produced_count));
  for (std::size_t leg = 0; leg < 3; ++leg) {
    CAPTURE(leg, seized[leg], set_out[leg]);
    REQUIRE(set_out[leg] > 500.0);
    CHECK(std::abs(seized[leg] / set_out[leg] - p) < 4.0 * std::sqrt(p * (1 - p) / set_out[leg]));
  }
}

TEST_CASE("kilograms are conserved and never negative in random scenarios", "[model]") {
  RandomEngine rng = RandomStreams(99, 0).stream("scenario-generator");
  boost::random::uniform_01<double> u;
  for (int trial = 0; trial < 25; ++trial) {
    CAPTURE(trial);
    const std::size_t places = 3 + static_cast<std::size_t>(u(rng) * 8);
    ModelSpec spec = defaults().model;
    spec.duration_days = 50.0 + 300.0 * u(rng);
    spec.sample_interval_days = 0.25 + 3.0 * u(rng);
    for (std::size_t i = 0; i < places; ++i)
      spec.places.push_back(
          entry<PlaceSpec>([&](PlaceSpec& e) { e.id = "p" + std::to_string(i); }));
    for (std::size_t i = 0; i + 1 < places; ++i) {  // a chain keeps every market reachable
      for (std::size_t j = i + 1; j < places; ++j) {
        if (j != i + 1 && u(rng) > 0.3) continue;
        RouteSpec r = entry<RouteSpec>([&](RouteSpec& e) {
          e.id = "r" + std::to_string(spec.routes.size());
          e.from = i;
          e.to = j;
        });
        r.distribution = static_cast<TravelTimeDistribution>(static_cast<int>(u(rng) * 3));
        r.mean_days = 0.05 + 3.0 * u(rng);
        r.sd_days =
            r.distribution == TravelTimeDistribution::lognormal ? u(rng) * r.mean_days : 0.0;
        spec.routes.push_back(r);
        if (u(rng) < 0.5)
          spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
            e.id = "q" + std::to_string(spec.patrols.size());
            e.route = spec.routes.size() - 1;
            e.detection_probability = u(rng);
            e.start_day = 10 * u(rng);
          }));
      }
    }
    spec.markets.push_back(MarketSpec{.id = "m", .place = places - 1, .price_per_kg = 100.0});
    for (int s = 0; s < 3; ++s)
      spec.sources.push_back(entry<SourceSpec>([&](SourceSpec& e) {
        e.id = "s" + std::to_string(s);
        e.place = static_cast<std::size_t>(u(rng) * static_cast<double>(places - 1));
        e.market = 0;
        e.rate_per_day = 0.1 + 5.0 * u(rng);
        e.size_mean_kg = 1.0 + 500.0 * u(rng);
        e.size_sd_kg = 300.0 * u(rng);
      }));
    const auto out = run(spec, 3, static_cast<std::uint64_t>(trial));
    const auto& r = out.recorder;
    for (std::size_t i = 0; i < r.times().size(); ++i) {
      const double produced = r.values("produced_kg")[i];
      REQUIRE(produced == r.values("delivered_kg")[i] + r.values("seized_kg")[i] +
                              r.values("in_transit_kg")[i]);
      REQUIRE(r.values("in_transit_kg")[i] >= 0.0);
      REQUIRE(r.values("shipments_in_transit")[i] >= 0.0);
      if (i > 0) REQUIRE(produced >= r.values("produced_kg")[i - 1]);
    }
    const auto& seized = out.column("network/seizures", "kg").numbers;
    CHECK(std::accumulate(seized.begin(), seized.end(), 0.0) ==
          static_cast<double>(out.totals.seized_kg));
  }
}

TEST_CASE("lognormal parameters reproduce the requested mean and sd", "[model]") {
  const auto [mu, sigma] = lognormal_parameters(6.0, 1.5);
  CHECK(std::exp(mu + sigma * sigma / 2) == Approx(6.0));
  CHECK(std::sqrt((std::exp(sigma * sigma) - 1) * std::exp(2 * mu + sigma * sigma)) == Approx(1.5));
}
