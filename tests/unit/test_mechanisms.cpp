// Mechanisms of the full model checked against numbers worked out by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <tuple>

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/CommunicationNetwork.hpp"
#include "model/Sightings.hpp"
#include "model/TraffickingModel.hpp"
#include "unit/ModelRun.hpp"

using namespace interdict;
using namespace interdict::model;
using interdict::testing::defaults;
using interdict::testing::entry;

namespace {

/// A chain of places p0 -> p1 -> ... -> pk joined by land routes with fixed travel times,
/// an organisation with a large cell at every place but the last, and a market at pk.
struct Chain {
  ModelSpec spec = defaults().model;

  explicit Chain(std::size_t legs, double leg_days = 1.0, double rate = 1.0,
                 double duration = 400.0) {
    spec.duration_days = duration;
    spec.sample_interval_days = 1.0;
    OrganisationSpec org = entry<OrganisationSpec>([&](OrganisationSpec& e) { e.id = "org"; });
    org.radio_delay = 0.0;
    org.fallback_failure = 0.0;
    org.fallback_leak = 0.0;
    spec.organisations.push_back(org);
    for (std::size_t i = 0; i <= legs; ++i)
      spec.places.push_back(
          entry<PlaceSpec>([&](PlaceSpec& e) { e.id = "p" + std::to_string(i); }));
    for (std::size_t i = 0; i < legs; ++i) {
      spec.routes.push_back(entry<RouteSpec>([&](RouteSpec& e) {
        e.id = "r" + std::to_string(i);
        e.from = i;
        e.to = i + 1;
        e.distribution = TravelTimeDistribution::fixed;
        e.mean_days = leg_days;
      }));
      spec.cells.push_back(entry<CellSpec>([&](CellSpec& e) {
        e.id = "c" + std::to_string(i);
        e.organisation = 0;
        e.place = i;
        e.members = {1, 1, 50, 0};
      }));
    }
    spec.markets.push_back(MarketSpec{.id = "m", .place = legs, .price_per_kg = 1000.0});
    spec.sources.push_back(entry<SourceSpec>([&](SourceSpec& e) {
      e.id = "s";
      e.place = 0;
      e.market = 0;
      e.organisation = 0;
      e.rate_per_day = rate;
      e.size_mean_kg = 100.0;
    }));
  }

  OrganisationSpec& org() { return spec.organisations[0]; }

  /// A cell with `members` at `place`, tied to the first cell; returns its index.
  std::size_t add_tied_cell(const std::string& id, std::size_t place, RoleCounts members) {
    spec.cells.push_back(entry<CellSpec>([&](CellSpec& e) {
      e.id = id;
      e.organisation = 0;
      e.place = place;
      e.members = members;
      e.ties = {0};
    }));
    spec.cells[0].ties.push_back(spec.cells.size() - 1);
    return spec.cells.size() - 1;
  }

  /// A control centre at p0 linked in a line to an antenna at every other place.
  void add_radio() {
    for (std::size_t i = 0; i < spec.places.size(); ++i) {
      RelaySpec relay = entry<RelaySpec>([&](RelaySpec& e) {
        e.id = "relay" + std::to_string(i);
        e.organisation = 0;
        e.place = i;
        e.covers = {i};
      });
      relay.kind = i == 0 ? RelayKind::control_centre : RelayKind::antenna;
      if (i > 0) relay.links.push_back(i - 1);
      spec.relays.push_back(relay);
    }
  }
};

using Run = interdict::testing::ModelRun;

Run run(const ModelSpec& spec, std::uint64_t seed = 1, std::uint64_t replicate = 0) {
  return interdict::testing::run_model(spec, seed, replicate);
}

double mean_delivery(const Run& r) {
  return r.recorder.values("mean_delivery_days").back();
}

}  // namespace

TEST_CASE("radio reaches places only through up relays linked to an up control centre", "[comms]") {
  Chain chain(3);
  chain.add_radio();
  std::vector<RelayRuntime> relays(chain.spec.relays.size());
  CommunicationNetwork comms(chain.spec, relays);
  for (std::size_t p = 0; p < 4; ++p)
    CHECK(comms.radio_at(0, p));
  CHECK(comms.global_efficiency() == Approx((2 * (3 * 1.0 + 2 * 0.5 + 1.0 / 3.0)) / 12.0));
  relays[1].up = false;  // cuts p2 and p3 off the control centre at p0
  comms.mark_changed();
  CHECK(comms.radio_at(0, 0));
  CHECK_FALSE(comms.radio_at(0, 1));
  CHECK_FALSE(comms.radio_at(0, 3));
  CHECK(comms.size() == 3);
  relays[1].up = true;
  relays[0].up = false;  // no control centre: nothing has radio
  comms.mark_changed();
  CHECK_FALSE(comms.radio_at(0, 2));
}

TEST_CASE("with relays down, each hand-off takes the fallback delay longer", "[mechanism]") {
  // 4 land legs of 1 day: 4 hand-offs. Radio: instant coordination. No radio: each waits
  // Exp(d), so the mean delivery time shifts by 4 d.
  const double d = 0.5;
  Chain radio(4);
  radio.add_radio();
  radio.org().fallback_delay = d;
  Chain fallback(4);
  fallback.org().fallback_delay = d;
  const Run with_radio = run(radio.spec);
  const Run without = run(fallback.spec);
  CHECK(mean_delivery(with_radio) == Approx(4.0).epsilon(1e-12));
  CHECK(with_radio.totals.handoffs_fallback == 0);
  const auto n = static_cast<double>(without.totals.delivered_count);
  REQUIRE(n > 300);
  CHECK(without.totals.handoffs_radio == 0);
  CHECK(std::abs(mean_delivery(without) - (4.0 + 4 * d)) < 4.0 * std::sqrt(4.0) * d / std::sqrt(n));
}

TEST_CASE("a cell with only a leader coordinates twice as slowly", "[mechanism]") {
  Chain chain(1);
  chain.org().fallback_delay = 1.0;
  chain.spec.cells[0].members = {1, 0, 50, 0};  // no broker
  const Run r = run(chain.spec);
  const auto n = static_cast<double>(r.totals.delivered_count);
  CHECK(std::abs(mean_delivery(r) - (1.0 + 2.0)) < 4.0 * 2.0 / std::sqrt(n));
}

TEST_CASE("destroyed relays cut radio until they are rebuilt", "[mechanism]") {
  Chain chain(3);
  chain.add_radio();
  chain.org().relay_rebuild_delay = 30.0;
  chain.spec.interventions.push_back(
      InterventionSpec{.id = "takedown", .at_day = 50.0, .action = DismantleAction{.relays = {0}}});
  const Run r = run(chain.spec);
  CHECK(r.at("radio_coverage", 49) == 1.0);
  CHECK(r.at("radio_coverage", 51) == 0.0);
  CHECK(r.at("relays_up", 51) == 3.0);
  CHECK(r.at("comm_network_efficiency", 51) == Approx((2 * (2 * 1.0 + 0.5)) / 6.0));
  CHECK(r.at("handoffs_radio", 79) == r.at("handoffs_radio", 51));
  CHECK(r.at("handoffs_fallback", 79) > r.at("handoffs_fallback", 51) + 50);
  CHECK(r.at("radio_coverage", 81) == 1.0);
  CHECK(r.at("handoffs_radio", 120) > r.at("handoffs_radio", 81) + 50);
  CHECK(r.recorder.summary_value("relays_rebuilt") == 1.0);
  REQUIRE(r.recorder.interventions().size() == 1);
  CHECK(r.recorder.interventions()[0].targets == "relays: relay0");
}

TEST_CASE("recovery after a cell is removed follows the recruitment rate", "[mechanism]") {
  // 100 cells of 4 members, each tied to a hub, all arrested at t = 10. With no recruitment
  // delay every missing member is refilled at rate r independently, so at t = 10 + 1/r the
  // expected share back is 1 - e^-1.
  const double r = 0.05;
  Chain chain(1, 1.0, 0.01, 40.0);
  chain.org().recruitment_rate = r;
  chain.org().recruitment_delay = 0.0;
  InterventionSpec dismantle{.id = "sweep", .at_day = 10.0};
  DismantleAction& sweep = std::get<DismantleAction>(dismantle.action);
  for (int c = 0; c < 100; ++c)
    sweep.cells.push_back(chain.add_tied_cell("x" + std::to_string(c), 1, {1, 1, 1, 1}));
  chain.spec.interventions.push_back(dismantle);
  const Run run_result = run(chain.spec, 4);
  const double hub = 52.0;  // the chain's own cell keeps its 1 + 1 + 50 members
  REQUIRE(run_result.at("active_members", 9) == hub + 400.0);
  CHECK(run_result.at("active_members", 10) == hub);
  const double back = run_result.at("active_members", 10.0 + 1.0 / r) - hub;
  const double expected = 400.0 * (1.0 - std::exp(-1.0));
  CHECK(std::abs(back - expected) < 4.0 * std::sqrt(400.0 * 0.632 * 0.368));
  CHECK(run_result.at("arrests", 10) == 400.0);
}

TEST_CASE("an arrested broker is replaced from a tie that has two", "[mechanism]") {
  Chain chain(1, 1.0, 0.01, 30.0);
  chain.org().recruitment_rate = 0.0;  // only replacement can refill
  chain.org().replacement_delay = 1.0;
  chain.spec.cells[0].members = {1, 1, 1, 0};
  chain.spec.cells.push_back(entry<CellSpec>([&](CellSpec& e) {
    e.id = "donor";
    e.organisation = 0;
    e.place = 1;
    e.members = {0, 3, 0, 0};
    e.ties = {0};
  }));
  chain.spec.cells[0].ties = {1};
  chain.spec.interventions.push_back(
      InterventionSpec{.id = "get-broker", .at_day = 5.0, .action = DismantleAction{.cells = {0}}});
  const Run r = run(chain.spec);
  // All three members of cell 0 arrested; the leader and the broker come back from the donor
  // only if it has two of that role: it has three brokers and no leader.
  CHECK(r.at("active_members", 4) == 6.0);
  CHECK(r.at("active_members", 5) == 3.0);
  CHECK(r.at("active_members", 29) == 3.0);  // a broker moved over: the total is unchanged
}

namespace {

/// Two parallel legs from p0 to p1, "fast" (1 day, patrolled with per-passage probability
/// `detection` until `patrol_end`) and "slow" (1.2 days).
Chain two_legs(double detection, double patrol_end, double duration) {
  Chain chain(1, 1.0, 1.0, duration);
  chain.spec.routes.push_back(entry<RouteSpec>([&](RouteSpec& e) {
    e.id = "slow";
    e.from = 0;
    e.to = 1;
    e.distribution = TravelTimeDistribution::fixed;
    e.mean_days = 1.2;
  }));
  chain.spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
    e.id = "patrol";
    e.route = 0;
    e.detection_probability = detection;
    e.end_day = patrol_end;
  }));
  return chain;
}

/// two_legs() with p = 1, under risk aversion 1 and time value 1/day: the fast leg costs 0.2
/// less (well above the re-planning threshold of 0.01), so it is chosen while its perceived
/// risk ρ < ρ* = 1 − e^−0.2 = 0.1813; learning rate 0.5.
Chain two_legs_certain(double patrol_end, double duration) {
  Chain chain = two_legs(1.0, patrol_end, duration);
  chain.org().risk_aversion = 1.0;
  chain.org().time_value = 1.0;
  chain.org().learning_rate = 0.5;
  return chain;
}

/// When each leg of route `route` ended, and whether it was seized.
std::vector<std::pair<double, bool>> legs_on(const ModelSpec& spec, std::size_t route,
                                             std::uint64_t seed) {
  Simulation sim;
  interdict::MemoryRecorder recorder;
  model::TraffickingModel model(spec, sim, RandomStreams(seed, 0), recorder);
  std::vector<std::pair<double, bool>> legs;
  model.signals().leg_ended.connect([&](std::size_t, std::size_t r, bool seized) {
    if (r == route) legs.emplace_back(sim.now().in_days(), seized);
  });
  sim.run();
  return legs;
}

}  // namespace

TEST_CASE("routes shift away from a patrolled route once its risk is learned", "[mechanism]") {
  // Two parallel legs from p0 to p1: "fast" (1 day, patrolled, p = 0.5) and "slow" (1.2 days).
  Chain chain = two_legs(0.5, kNever, 300.0);
  const auto seized_share = [](const Run& r) {
    return static_cast<double>(r.totals.seized_count) /
           static_cast<double>(r.totals.seized_count + r.totals.delivered_count);
  };
  chain.org().risk_aversion = 0.0;  // ignores risk: always the fast route
  const Run naive = run(chain.spec);
  const double n = static_cast<double>(naive.totals.seized_count + naive.totals.delivered_count);
  CHECK(std::abs(seized_share(naive) - 0.5) < 4.0 * 0.5 / std::sqrt(n));
  chain.org().risk_aversion = 1.0;
  const Run learning = run(chain.spec);
  CHECK(seized_share(learning) < 0.05);  // the balloon effect: the flow moves to the slow leg
}

TEST_CASE("perceived risk fades at the forgetting rate and traffic returns", "[mechanism]") {
  // The patrol never leaves: every load on the fast leg is seized. Without forgetting, the loads
  // planned before the first seizure was learned are the last on the leg. With λ = 0.05/day,
  // ρ fades as ρ0 e^(−λt) after the last seizure of a burst, so the leg is tried again
  // ln(ρ0 / ρ*) / λ days later (ρ0 = 0.5 after one seizure: 20.3 days), plus the wait for the
  // next load and its coordination (a fallback call, mean 0.5 days); it is seized at a uniform
  // moment of its one-day leg. ρ0 is replayed from the legs by the rule: fade, then
  // ρ += 0.5 (x − ρ). The waits for the next load and its call are exponential, so a return
  // more than 5 days after the daily re-plan is rare, not impossible: 0.9% of 1,815 returns
  // over seeds 1-200. Over these seeds' ~45 returns about 0.4 are expected; more than 3, under
  // one in a thousand.
  Chain chain = two_legs_certain(kNever, 300.0);
  chain.org().probing = 0.0;  // on by default; probing loads would return to the leg earlier
  const double threshold = -std::expm1(-0.2);
  int late = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    chain.org().forgetting_rate = 0.0;
    const auto kept = legs_on(chain.spec, 0, seed);
    REQUIRE_FALSE(kept.empty());
    CHECK(kept.back().first < 10.0);
    chain.org().forgetting_rate = 0.05;
    const auto faded = legs_on(chain.spec, 0, seed);
    double risk = 0.0;
    int returns = 0;
    for (std::size_t i = 0; i < faded.size(); ++i) {
      CHECK(faded[i].second);
      if (i > 0) risk *= std::exp(-0.05 * (faded[i].first - faded[i - 1].first));
      risk += 0.5 * (1.0 - risk);
      if (i + 1 == faded.size() || faded[i + 1].first - faded[i].first < 5.0) continue;
      CAPTURE(i, risk);
      const double wait = faded[i + 1].first - faded[i].first;
      const double expected = std::log(risk / threshold) / 0.05;
      CHECK(wait >= expected);
      late += wait >= expected + 1.0 + 5.0 ? 1 : 0;
      ++returns;
    }
    CHECK(returns >= 5);  // it keeps coming back, about every 20 to 35 days
  }
  CHECK(late <= 3);
}

TEST_CASE("probing sends a share of loads by the risk-neutral path and finds a patrol gone",
          "[mechanism]") {
  // Probing ε = 0.1, no forgetting. While the patrol stands every probing load is seized, so the
  // seized share of loads is ε. After it ends (day 100), each probing load that gets through
  // halves ρ (learning rate 0.5): from ρ ≈ 1, three successes bring it below ρ* = 0.1813
  // (2^−3 = 0.125), about 3 / (ε × 1 load a day) = 30 days later; by day 300 (20 probing
  // loads expected since day 100) the flow is back on the fast leg.
  Chain chain = two_legs_certain(100.0, 350.0);
  chain.org().forgetting_rate = 0.0;  // on by default; here only probing brings the flow back
  chain.org().probing = 0.1;
  int seized = 0, loads = 0, returned = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto fast = legs_on(chain.spec, 0, seed);
    const auto slow = legs_on(chain.spec, 1, seed);
    int late_fast = 0, late_slow = 0;
    for (const auto& [t, was_seized] : fast) {
      seized += t < 100.0 && was_seized ? 1 : 0;
      loads += t < 100.0 ? 1 : 0;
      late_fast += t >= 300.0 ? 1 : 0;
    }
    for (const auto& [t, was_seized] : slow) {
      loads += t < 100.0 ? 1 : 0;
      late_slow += t >= 300.0 ? 1 : 0;
    }
    returned += late_fast > 5 * late_slow ? 1 : 0;
  }
  // Seized share before day 100: ε (the first loads, planned before the first seizure was
  // learned, add one or two), within four binomial standard deviations (about 500 loads).
  const double share = static_cast<double>(seized) / loads;
  CHECK(std::abs(share - 0.1) < 4.0 * std::sqrt(0.1 * 0.9 / loads) + 2.0 / loads);
  CHECK(returned == 5);
}

TEST_CASE("loads larger than a vessel are split and every kilogram is accounted for",
          "[mechanism]") {
  // 100 kg loads, 30 kg boats: each load leaves as 30 + 30 + 30 + 10, i.e. three splits.
  Chain chain(1, 1.0, 0.02, 500.0);
  chain.spec.routes[0].mode = RouteMode::sea;
  for (int v = 0; v < 5; ++v)
    chain.spec.vessels.push_back(entry<VesselSpec>([&](VesselSpec& e) {
      e.id = "boat" + std::to_string(v);
      e.organisation = 0;
      e.home = 0;
      e.capacity_kg = 30.0;
    }));
  const Run r = run(chain.spec);
  REQUIRE(r.totals.in_transit_count == 0);
  CHECK(r.totals.produced_count > 5);
  CHECK(r.totals.split_count == 3 * r.totals.produced_count);
  CHECK(r.totals.delivered_count == 4 * r.totals.produced_count);
  CHECK(r.totals.delivered_kg == r.totals.produced_kg);
}

TEST_CASE("seized vessels are replaced only when the organisation can pay", "[mechanism]") {
  Chain chain(1, 1.0, 0.5, 200.0);
  chain.spec.routes[0].mode = RouteMode::sea;
  chain.spec.vessels.push_back(entry<VesselSpec>([&](VesselSpec& e) {
    e.id = "boat";
    e.organisation = 0;
    e.home = 0;
    e.capacity_kg = 1000.0;
  }));
  chain.spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
    e.id = "navy";
    e.route = 0;
    e.detection_probability = 1.0;
    e.end_day = 20.0;
  }));
  chain.org().vessel_replacement_delay = 10.0;
  chain.org().vessel_cost = 1e5;
  const Run broke = run(chain.spec);
  CHECK(broke.at("vessels_active", 199) == 0.0);
  CHECK(broke.totals.vessels_bought == 0);
  chain.org().capital = 1e7;
  const Run rich = run(chain.spec);
  CHECK(rich.at("vessels_active", 199) == 1.0);
  CHECK(rich.totals.vessels_bought >= 1);
  CHECK(rich.totals.delivered_count > 50);
}

TEST_CASE("recovery spends within the credit limit, and what is free is never held back",
          "[mechanism]") {
  // A patrol seizes every trip of the only vessel, for good. Capital 0, a vessel costs 1e5 and
  // nothing else costs anything: with a credit limit of 3e5 the organisation buys exactly three
  // (capital -1e5, -2e5, -3e5; a fourth would take it to -4e5). With free vessels it buys one
  // after every seizure, even deep in debt.
  Chain chain(1, 1.0, 1.0, 200.0);
  chain.spec.routes[0].mode = RouteMode::sea;
  chain.spec.vessels.push_back(entry<VesselSpec>([&](VesselSpec& e) {
    e.id = "boat";
    e.organisation = 0;
    e.home = 0;
  }));
  chain.spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
    e.id = "navy";
    e.route = 0;
    e.detection_probability = 1.0;
  }));
  chain.org().vessel_replacement_delay = 10.0;
  chain.org().vessel_cost = 1e5;
  chain.org().credit_limit = 3e5;
  const Run credit = run(chain.spec);
  CHECK(credit.totals.vessels_bought == 3);
  CHECK(credit.recorder.summary_value("capital_usd") == -3e5);
  chain.org().vessel_cost = 0.0;
  chain.org().credit_limit = 0.0;
  chain.org().capital = -1e6;
  const Run free = run(chain.spec);
  // One purchase per seizure but the last: each cycle is 10 days of delay plus the wait for
  // a load and its trip.
  CHECK(free.totals.vessels_bought >= 10);
  CHECK(free.totals.vessels_bought >= free.totals.seized_count - 1);
}

TEST_CASE("loads waiting at a place are exposed to raids at the raid rate", "[mechanism]") {
  // One leg; every load waits at p0 for its coordination, a fallback call of Exp(mean D = 3
  // days) (plenty of transporters, no failures), then leaves. By Little's law about rate x D =
  // 3 loads wait at any time. An agency raids p0 at rate h while loads wait there, seizing all
  // of them: a load waiting W is seized with probability 1 - e^(-hW), on average
  // hD / (1 + hD) = 0.3 / 1.3 = 0.2308 for h = 0.1. While the cell is known (oracle) the rate is
  // h (1 + intel_boost): with h = 0.05 and boost 1, 0.1304 unknown and 0.2308 known. Raids are
  // clustered (each seizes ~3 loads), so the tolerance is twice the binomial one.
  Chain chain(1, 1.0, 1.0, 1000.0);
  chain.org().fallback_delay = 3.0;
  chain.spec.agencies.push_back(entry<AgencySpec>([&](AgencySpec& e) {
    e.id = "police";
    e.raid_rate = 0.1;
    e.intel_boost = 0.0;
    e.raid_arrests = 0;
  }));
  const auto seized_share = [&](int seeds) {
    double seized = 0, loads = 0, waiting = 0, samples = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      const Run r = run(chain.spec, static_cast<std::uint64_t>(seed));
      seized += static_cast<double>(r.totals.seized_count);
      loads += static_cast<double>(r.totals.seized_count + r.totals.delivered_count);
      CHECK(r.recorder.summary_value("stash_seized_loads") ==
            static_cast<double>(r.totals.seized_count));
      for (double w : r.recorder.values("loads_waiting")) {
        waiting += w;
        ++samples;
      }
    }
    return std::tuple{seized / loads, 2.0 * 4.0 * std::sqrt(0.25 / loads), waiting / samples};
  };
  const auto [share, tolerance, mean_waiting] = seized_share(10);
  CHECK(std::abs(share - 0.3 / 1.3) < tolerance);
  chain.spec.agencies[0].raid_rate = 0.0;
  const auto [none, unused, calm_waiting] = seized_share(3);
  CHECK(none == 0.0);
  CHECK(std::abs(calm_waiting - 3.0) < 0.3);  // Little's law
  chain.spec.agencies[0].raid_rate = 0.05;
  chain.spec.agencies[0].intel_boost = 1.0;
  // A raid puts the cell in the picture: for the rate while unknown, let items lapse at once.
  chain.spec.intelligence.lifetime = 1e-9;
  const auto [unknown, tolerance_unknown, w1] = seized_share(10);
  CHECK(std::abs(unknown - 0.15 / 1.15) < tolerance_unknown);
  chain.spec.intelligence.oracle = true;
  const auto [known, tolerance_known, w2] = seized_share(10);
  CHECK(std::abs(known - 0.3 / 1.3) < tolerance_known);
}

TEST_CASE("a market's price clears the supply delivered, and sources answer it", "[mechanism]") {
  // Independent loads of 10 kg, 10 a day, one fixed 1-day leg to a market that takes D0 = 200
  // kg a day at p0 = 1000 USD/kg, elasticity e = 0.5. Supply settles at q = 100 kg/day, so
  // p = p0 (q / D0)^(-1/e) = 4 p0 and consumption is 100 kg/day. With supply elasticity
  // eta = 1 the rate follows the price: q = 100 (p / p0) and p = p0 (q / 200)^-2, so
  // (q / 200)^3 = 0.5: q = 158.7 kg/day and p = 1.587 p0. Averages over days 200-400 (the
  // supply average forgets its start, D0, within a few 30-day adjustment times).
  ModelSpec spec = defaults().model;
  spec.duration_days = 400.0;
  spec.places = {entry<PlaceSpec>([](PlaceSpec& e) { e.id = "farm"; }),
                 entry<PlaceSpec>([](PlaceSpec& e) { e.id = "city"; })};
  spec.routes.push_back(entry<RouteSpec>([](RouteSpec& e) {
    e.id = "road";
    e.from = 0;
    e.to = 1;
    e.distribution = TravelTimeDistribution::fixed;
    e.mean_days = 1.0;
  }));
  spec.markets.push_back(entry<MarketSpec>([](MarketSpec& e) {
    e.id = "m";
    e.place = 1;
    e.price_per_kg = 1000.0;
    e.demand_kg_per_day = 200.0;
    e.elasticity = 0.5;
  }));
  spec.sources.push_back(entry<SourceSpec>([](SourceSpec& e) {
    e.id = "s";
    e.rate_per_day = 10.0;
    e.size_mean_kg = 10.0;
  }));
  const auto settled = [&](const char* series) {
    double sum = 0.0;
    int n = 0;
    for (int seed = 1; seed <= 4; ++seed) {
      const Run r = run(spec, static_cast<std::uint64_t>(seed));
      CHECK(r.at("price_usd_per_kg", 0.0) == 1000.0);  // it starts at the reference price
      for (std::size_t i = 0; i < r.recorder.times().size(); ++i)
        if (r.recorder.times()[i] >= 200.0) {
          sum += r.recorder.values(series)[i];
          ++n;
        }
    }
    return sum / n;
  };
  CHECK(settled("consumption_kg_per_day") == Approx(100.0).epsilon(0.05));
  CHECK(settled("price_usd_per_kg") == Approx(4000.0).epsilon(0.1));
  spec.sources[0].supply_elasticity = 1.0;
  CHECK(settled("consumption_kg_per_day") == Approx(158.7).epsilon(0.05));
  CHECK(settled("price_usd_per_kg") == Approx(1587.0).epsilon(0.1));
  // Without demand the price is fixed and sources keep their rate.
  spec.markets[0].demand_kg_per_day = 0.0;
  CHECK(settled("price_usd_per_kg") == 1000.0);
  CHECK(settled("consumption_kg_per_day") == 0.0);
}

TEST_CASE("officials paid on a route lower detection until they are purged or unpaid",
          "[mechanism]") {
  // One leg watched at p = 0.5 a passage. Officials paid to look away (effect 0.6) scale the
  // exponent of the per-passage probability: 1 - 0.5^0.4 = 0.2421. A purge at day 200 (new
  // officials only after a mean 1e5 days) brings back 0.5. Paying 100 USD a day from capital 0
  // on a credit line of 1,000 (nothing sold: price 0), the organisation pays on days 0 to 9 and
  // then no more: 1,000 USD.
  Chain chain(1, 1.0, 2.0, 400.0);
  chain.spec.patrols.push_back(entry<PatrolSpec>([](PatrolSpec& e) {
    e.id = "checkpoint";
    e.route = 0;
    e.detection_probability = 0.5;
    e.arrest_probability = 0.0;
  }));
  chain.spec.bribes.push_back(entry<BribeSpec>([](BribeSpec& e) {
    e.id = "officials";
    e.organisation = 0;
    e.route = 0;
    e.effect = 0.6;
    e.replace_days = 1e5;
  }));
  chain.spec.interventions.push_back(
      InterventionSpec{.id = "purge", .at_day = 200.0, .action = PurgeAction{}});
  double seized[2] = {0, 0}, legs[2] = {0, 0};
  for (std::uint64_t seed = 1; seed <= 4; ++seed)
    for (const auto& [t, was_seized] : legs_on(chain.spec, 0, seed)) {
      const int half = t < 200.0 ? 0 : 1;
      seized[half] += was_seized ? 1 : 0;
      ++legs[half];
    }
  const double bribed = 1.0 - std::pow(0.5, 0.4);
  CHECK(std::abs(seized[0] / legs[0] - bribed) < 4.0 * std::sqrt(bribed * (1 - bribed) / legs[0]));
  CHECK(std::abs(seized[1] / legs[1] - 0.5) < 4.0 * std::sqrt(0.25 / legs[1]));
  const Run purged = run(chain.spec);
  CHECK(purged.recorder.summary_value("officials_purged") == 1.0);
  CHECK(purged.at("bribes_active", 199) == 1.0);
  CHECK(purged.at("bribes_active", 201) == 0.0);

  chain.spec.interventions.clear();
  chain.spec.markets[0].price_per_kg = 0.0;
  chain.spec.bribes[0].cost_per_day = 100.0;
  chain.org().credit_limit = 1000.0;
  const Run unpaid = run(chain.spec);
  CHECK(unpaid.recorder.summary_value("bribes_paid_usd") == 1000.0);
  CHECK(unpaid.at("bribes_active", 9.0) == 1.0);  // paid at the start and on days 1 to 9
  CHECK(unpaid.at("bribes_active", 10.0) == 0.0);
}

TEST_CASE("police paid at a place call off raids there", "[mechanism]") {
  // As in the raid test: coordination waits of mean D = 3 days, raids at h = 0.1. Police paid to
  // warn (effect 0.5) call off half the raids: hD/2 / (1 + hD/2) = 0.15 / 1.15 = 0.1304.
  Chain chain(1, 1.0, 1.0, 1000.0);
  chain.org().fallback_delay = 3.0;
  chain.spec.agencies.push_back(entry<AgencySpec>([](AgencySpec& e) {
    e.id = "police";
    e.raid_rate = 0.1;
    e.intel_boost = 0.0;
    e.raid_arrests = 0;
  }));
  chain.spec.bribes.push_back(entry<BribeSpec>([](BribeSpec& e) {
    e.id = "police";
    e.organisation = 0;
    e.place = 0;
    e.effect = 0.5;
  }));
  double seized = 0, loads = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Run r = run(chain.spec, seed);
    seized += static_cast<double>(r.totals.seized_count);
    loads += static_cast<double>(r.totals.seized_count + r.totals.delivered_count);
  }
  CHECK(std::abs(seized / loads - 0.15 / 1.15) < 2.0 * 4.0 * std::sqrt(0.25 / loads));
}

TEST_CASE("without command, loads wait to be sent and routes go stale", "[mechanism]") {
  // The only leader is arrested at day 100 and never replaced (no recruits, replacement after
  // a mean 1e6 days): the organisation is headless from then on. With headless_delay D = 5 days
  // every load produced after day 100 waits Exp(5) at its source: it is held (about 300 of
  // them, one a day) and, by Little's law, about 1 x (5 + 0.5 coordination) = 5.5 loads wait
  // at places at any time (0.5 with command).
  Chain chain(1, 1.0, 1.0, 400.0);
  chain.org().headless_delay = 5.0;
  chain.org().recruitment_rate = 0.0;
  chain.org().replacement_delay = 1e6;
  chain.spec.interventions.push_back(InterventionSpec{
      .id = "decapitate",
      .at_day = 100.0,
      .action = ArrestAction{.cells = {0}, .arrests = 1, .role = static_cast<int>(Role::leader)}});
  double before = 0, after = 0, n_before = 0, n_after = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const Run r = run(chain.spec, seed);
    CHECK(r.at("headless_organisations", 99.0) == 0.0);
    CHECK(r.at("headless_organisations", 101.0) == 1.0);
    const double produced_after =
        r.recorder.values("shipments_produced").back() - r.at("shipments_produced", 100.0);
    const double held = r.recorder.summary_value("loads_held_without_command");
    CHECK(std::abs(held - produced_after) <= 2.0);  // sampled at day 100, held from 100 on
    for (std::size_t i = 0; i < r.recorder.times().size(); ++i) {
      const double t = r.recorder.times()[i];
      const double w = r.recorder.values("loads_waiting")[i];
      if (t >= 10.0 && t < 100.0) before += w, ++n_before;
      if (t >= 120.0) after += w, ++n_after;
    }
  }
  CHECK(before / n_before == Approx(0.5).epsilon(0.25));
  CHECK(after / n_after == Approx(5.5).epsilon(0.15));

  // Stale routes: a patrol (p = 1) starts on the fast leg at day 100, after the leader is gone
  // at day 50. A headless organisation that cannot re-plan keeps sending its loads there and
  // loses them all; one that can moves to the slow leg after its first losses.
  Chain legs = two_legs_certain(kNever, 300.0);
  // Forgetting and probing are on by default and would send some loads back to the fast leg
  // after day 150; without them one that re-plans leaves it for good.
  legs.org().forgetting_rate = 0.0;
  legs.org().probing = 0.0;
  legs.spec.patrols[0].start_day = 100.0;
  legs.spec.patrols[0].arrest_probability = 0.0;  // transporters stay free to carry
  legs.org().recruitment_rate = 0.0;
  legs.org().replacement_delay = 1e6;
  legs.spec.interventions.push_back(InterventionSpec{
      .id = "decapitate",
      .at_day = 50.0,
      .action = ArrestAction{.cells = {0}, .arrests = 1, .role = static_cast<int>(Role::leader)}});
  const auto fast_after = [&]() {
    int fast = 0;
    for (const auto& [t, seized] : legs_on(legs.spec, 0, 7))
      fast += t > 150.0 ? 1 : 0;
    return fast;
  };
  CHECK(fast_after() < 5);  // re-planned: the slow leg from the first seizures on
  legs.org().stale_routes = true;
  CHECK(fast_after() > 100);  // frozen on the fast leg: about 150 loads, all seized
}

TEST_CASE("intercepted coordination becomes actionable after the sharing delay", "[mechanism]") {
  // Every fallback coordination leaks. The patrol barely detects without intelligence
  // (hazard 0.001/day) and almost surely with it (boost 5000: hazard 5/day, 99% per 1-day leg):
  // seizures start only once the first leak has waited out the agency's sharing delay d.
  const double d = 40.0;
  Chain chain(1, 1.0, 1.0, 100.0);
  chain.org().fallback_leak = 1.0;
  chain.spec.agencies.push_back(entry<AgencySpec>([&](AgencySpec& e) {
    e.id = "navy";
    e.sharing_delay = d;
    e.intel_lifetime = 1000.0;
    e.intel_boost = 5000.0;
  }));
  chain.spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
    e.id = "patrol";
    e.route = 0;
    e.intensity = 0.001;
    e.agency = 0;
  }));
  const Run r = run(chain.spec);
  CHECK(r.at("seized_kg", d - 2.0) == 0.0);
  const double seized = r.at("seized_kg", 99) - r.at("seized_kg", d + 2.0);
  const double delivered = r.at("delivered_kg", 99) - r.at("delivered_kg", d + 2.0);
  CHECK(seized > 0.9 * (seized + delivered));
  CHECK(r.at("leaks", 99) > 80);
}

TEST_CASE("an item is actionable while its latest usable sighting is within its lifetime",
          "[mechanism]") {
  // Sharing delay d = 7, lifetime 30; learned at 0, 50, 80, 100, 105. At time t the latest
  // sighting s <= t - 7 counts, while t - 7 - s < 30: from 0 actionable on [7, 37); from 50 on
  // [57, 87), from 80 (usable at 87) on to 117, from 100 (usable at 107) to 137, from 105 (usable
  // at 112) to 142. At 106 the last two sightings, 100 and 105, are not usable yet, but 80 is
  // (99 - 80 = 19 < 30): keeping only the last two times lost it.
  const double d = 7.0;
  const double lifetime = 30.0;
  model::Sightings item;
  CHECK(item.empty());
  CHECK(item.next_change(0.0, d, lifetime) == kNever);
  REQUIRE(item.learn(0.0, d));
  CHECK_FALSE(item.learn(0.0, d));  // once per time
  CHECK_FALSE(item.actionable(6.0, d, lifetime));
  CHECK(item.next_change(6.0, d, lifetime) == 7.0);  // becomes usable
  CHECK(item.actionable(7.0, d, lifetime));
  CHECK(item.next_change(7.0, d, lifetime) == 37.0);  // lapses
  CHECK(item.actionable(36.0, d, lifetime));
  CHECK_FALSE(item.actionable(37.0, d, lifetime));
  CHECK(item.next_change(37.0, d, lifetime) == kNever);
  item.learn(50.0, d);
  CHECK_FALSE(item.actionable(56.0, d, lifetime));
  CHECK(item.next_change(56.0, d, lifetime) == 57.0);  // re-enters
  CHECK(item.actionable(57.0, d, lifetime));
  CHECK(item.next_change(57.0, d, lifetime) == 87.0);
  item.learn(80.0, d);
  item.learn(100.0, d);
  item.learn(105.0, d);
  CHECK(item.size() == 3);  // 80 (the newest at or before 105 - 7), 100, 105
  CHECK(item.actionable(105.0, d, lifetime));
  CHECK(item.actionable(106.0, d, lifetime));
  CHECK(item.next_change(106.0, d, lifetime) == 107.0);  // 100 becomes usable (80 lapses at 117)
  CHECK(item.actionable(112.0, d, lifetime));
  CHECK(item.next_change(112.0, d, lifetime) == 142.0);
  CHECK(item.actionable(141.0, d, lifetime));
  CHECK_FALSE(item.actionable(142.0, d, lifetime));
  CHECK(item.next_change(142.0, d, lifetime) == kNever);
  // Delays up to the longest, 14, are answered exactly. Learned at 0, 10 and 20, at 21: delay 14
  // uses 0 (7 - 0 < 10, not < 7), delay 7 uses 10 (14 - 10 < 7); with delay 3, 10 has lapsed
  // (18 - 10 >= 7) and 20 becomes usable at 23.
  model::Sightings watched;
  for (double t : {0.0, 10.0, 20.0})
    watched.learn(t, 14.0);
  CHECK(watched.size() == 3);
  CHECK(watched.actionable(21.0, 14.0, 10.0));
  CHECK_FALSE(watched.actionable(21.0, 14.0, 7.0));  // 7 - 0 >= 7
  CHECK(watched.actionable(21.0, 7.0, 7.0));         // 14 - 10 < 7
  CHECK(watched.next_change(21.0, 3.0, 7.0) == 23.0);
}

TEST_CASE("a cell watched again and again stays in the picture", "[mechanism]") {
  // The same as above in a run: a dismantle hits the only cell at days 10, 60, 90, 110 and 115
  // (each learns it); the agency's sharing delay is 7 and the picture's lifetime 30. The cell is
  // known on [17, 47) and from 67 to 152 without a gap (a sample shows the picture at its day).
  Chain chain(1, 1.0, 1.0, 160.0);
  chain.spec.intelligence.lifetime = 30.0;
  chain.spec.agencies.push_back(entry<AgencySpec>([&](AgencySpec& e) {
    e.id = "police";
    e.sharing_delay = 7.0;
  }));
  for (double day : {10.0, 60.0, 90.0, 110.0, 115.0})
    chain.spec.interventions.push_back(
        InterventionSpec{.id = "hit" + std::to_string(static_cast<int>(day)),
                         .at_day = day,
                         .action = DismantleAction{.cells = {0}}});
  const Run r = run(chain.spec);
  const std::vector<std::pair<double, double>> expected = {{16, 0},  {17, 1},  {46, 1},  {47, 0},
                                                           {66, 0},  {67, 1},  {96, 1},  {115, 1},
                                                           {116, 1}, {117, 1}, {151, 1}, {152, 0}};
  for (const auto& [day, known] : expected) {
    INFO("day " << day);
    CHECK(r.at("known_nodes", day) == known);
  }
}

TEST_CASE("listening to radio does not change which ties a seizure reveals", "[mechanism]") {
  // Every hand-off goes by radio; interception is switched on but intercepts nothing
  // (probability 0), so the world is the same. Each seizure reveals each of the 30 ties of the
  // seized cell with probability 0.1: interception draws from its own stream, so enforcement
  // learns the same ties at the same times, with interception on or off.
  Chain chain(1, 1.0, 0.2, 300.0);
  chain.add_radio();
  for (int c = 0; c < 30; ++c)
    chain.add_tied_cell("contact" + std::to_string(c), 1, {0, 0, 0, 1});
  chain.spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
    e.id = "patrol";
    e.route = 0;
    e.detection_probability = 0.2;
  }));
  chain.spec.intelligence.reveal_probability = 0.1;
  ModelSpec listening = chain.spec;
  listening.intelligence.radio_interception = true;
  listening.intelligence.radio_interception_probability = 0.0;
  const Run off = run(chain.spec);
  const Run on = run(listening);
  REQUIRE(on.totals.handoffs_radio > 0);
  REQUIRE(on.totals.handoffs_radio == off.totals.handoffs_radio);
  const auto& ties = off.recorder.values("known_ties");
  REQUIRE(*std::max_element(ties.begin(), ties.end()) > 0.0);
  REQUIRE(*std::min_element(ties.begin(), ties.end()) < 30.0);
  CHECK(on.recorder.values("known_ties") == ties);
  CHECK(on.recorder.values("known_nodes") == off.recorder.values("known_nodes"));
}

TEST_CASE("an agency's patrols stop when its budget runs out", "[mechanism]") {
  Chain chain(1, 1.0, 2.0, 60.0);
  chain.spec.agencies.push_back(entry<AgencySpec>([&](AgencySpec& e) {
    e.id = "police";
    e.budget = 10000.0;
  }));
  chain.spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
    e.id = "checkpoint";
    e.route = 0;
    e.detection_probability = 1.0;
    e.agency = 0;
    e.cost_per_day = 1000.0;
  }));
  const Run r = run(chain.spec);
  CHECK(r.recorder.summary_value("enforcement_spent_usd") == 10000.0);
  CHECK(r.at("seized_kg", 9) > 0.0);
  // Days 0-9 are paid for; from day 10 nothing sets off under watch.
  CHECK(r.at("seized_kg", 59) == r.at("seized_kg", 11));
}

TEST_CASE("a dismantle makes the requested number of arrests among the relays' users",
          "[mechanism]") {
  Chain chain(3, 1.0, 0.5, 50.0);
  chain.add_radio();
  chain.spec.interventions.push_back(InterventionSpec{
      .id = "raid", .at_day = 20.0, .action = DismantleAction{.relays = {1, 2}, .arrests = 30}});
  const Run r = run(chain.spec);
  CHECK(r.at("arrests", 20) - r.at("arrests", 19) == 30.0);
  const auto& log = r.recorder.interventions();
  REQUIRE(log.size() == 1);
  CHECK(log[0].time == 20.0);
  CHECK(log[0].arrests == 30.0);
  CHECK(log[0].id == "raid");
}

TEST_CASE("conservation holds in random full-model scenarios", "[mechanism]") {
  RandomEngine rng = RandomStreams(2024, 0).stream("scenario-generator");
  boost::random::uniform_01<double> u;
  for (int trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    const std::size_t legs = 2 + static_cast<std::size_t>(u(rng) * 4);
    Chain chain(legs, 0.5, 0.5 + 2 * u(rng), 150.0);
    chain.spec.sample_interval_days = 0.5 + 2 * u(rng);
    if (u(rng) < 0.5) chain.add_radio();
    chain.org().fallback_failure = 0.3 * u(rng);
    chain.org().fallback_leak = u(rng);
    chain.org().recruitment_delay = 5 * u(rng);
    chain.org().capital = 1e6 * u(rng);
    chain.org().recruit_cost = 1e4 * u(rng);
    chain.org().relay_cost = 1e5 * u(rng);
    chain.org().vessel_cost = 1e5 * u(rng);
    chain.spec.routes[0].mode = RouteMode::sea;
    chain.spec.routes[0].distribution = TravelTimeDistribution::lognormal;
    chain.spec.routes[0].sd_days = 0.3;
    chain.spec.routes[1].capacity = 1 + static_cast<int>(3 * u(rng));
    for (int v = 0; v < 2; ++v)
      chain.spec.vessels.push_back(entry<VesselSpec>([&](VesselSpec& e) {
        e.id = "v" + std::to_string(v);
        e.organisation = 0;
        e.home = static_cast<std::size_t>(v);
        e.capacity_kg = 20 + 200 * u(rng);
      }));
    chain.spec.agencies.push_back(entry<AgencySpec>([&](AgencySpec& e) {
      e.id = "a";
      e.budget = 1e5 * u(rng);
      e.sharing_delay = 10 * u(rng);
    }));
    for (std::size_t r = 0; r < legs; ++r)
      chain.spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
        e.id = "p" + std::to_string(r);
        e.route = r;
        e.detection_probability = 0.3 * u(rng);
        e.intensity = u(rng);
        e.agency = u(rng) < 0.5 ? std::size_t{0} : kNone;
        e.cost_per_day = 100 * u(rng);
      }));
    const double at = 70 * u(rng);
    chain.spec.interventions.push_back(InterventionSpec{
        .id = "i",
        .at_day = at,
        .action = DismantleAction{.relays = chain.spec.relays.empty() ? std::vector<std::size_t>{}
                                                                      : std::vector<std::size_t>{0},
                                  .cells = {1},
                                  .vessels = {0},
                                  .arrests = static_cast<int>(20 * u(rng))}});
    const Run r = run(chain.spec, 3, static_cast<std::uint64_t>(trial));
    const auto& rec = r.recorder;
    for (std::size_t i = 0; i < rec.times().size(); ++i) {
      REQUIRE(rec.values("produced_kg")[i] == rec.values("delivered_kg")[i] +
                                                  rec.values("seized_kg")[i] +
                                                  rec.values("in_transit_kg")[i]);
      REQUIRE(rec.values("in_transit_kg")[i] >= 0.0);
      REQUIRE(rec.values("active_members")[i] >= 0.0);
      REQUIRE(rec.values("vessels_active")[i] >= 0.0);
    }
    CHECK(r.totals.produced_count > 0);
    const auto& seized = r.column("network/seizures", "kg").numbers;
    CHECK(std::accumulate(seized.begin(), seized.end(), 0.0) ==
          static_cast<double>(r.totals.seized_kg));
  }
}

TEST_CASE("every kilogram seized is in the seizures table, whoever seized it",
          "[mechanism][network]") {
  // A sea leg p0 -> p1 by go-fast boat, patrolled by "navy", then a land leg p1 -> p2 patrolled by
  // "army"; loads wait at both places for their coordination (fallback calls), where "police"
  // raid them; and every 7 days an intervention seizes the boats, with whatever load is aboard
  // (being loaded at p0, or under way on the sea leg). Each seizure is one row saying where and
  // by whom, and the rows add up to seized_kg, the raids' to stash_seized_kg.
  Chain chain(2, 1.0, 2.0, 300.0);
  chain.spec.routes[0].mode = RouteMode::sea;
  chain.org().fallback_delay = 1.0;
  chain.org().vessel_replacement_delay = 1.0;
  for (int v = 0; v < 3; ++v)
    chain.spec.vessels.push_back(entry<VesselSpec>([&](VesselSpec& e) {
      e.id = "boat" + std::to_string(v);
      e.organisation = 0;
      e.home = 0;
      e.capacity_kg = 1000.0;
    }));
  chain.spec.agencies.push_back(entry<AgencySpec>([&](AgencySpec& e) {
    e.id = "police";
    e.raid_rate = 0.05;
    e.raid_arrests = 0;
  }));
  for (std::size_t r = 0; r < 2; ++r)
    chain.spec.patrols.push_back(entry<PatrolSpec>([&](PatrolSpec& e) {
      e.id = r == 0 ? "navy" : "army";
      e.route = r;
      e.detection_probability = 0.1;
    }));
  chain.spec.interventions.push_back(
      InterventionSpec{.id = "sweep",
                       .trigger = TriggerKind::every,
                       .at_day = 5.0,
                       .every_days = 7.0,
                       .action = DismantleAction{.vessels = {0, 1, 2}}});
  const Run r = run(chain.spec, 5);
  const auto& tie = r.column("network/seizures", "tie").numbers;
  const auto& node = r.column("network/seizures", "node").numbers;
  const auto& kg = r.column("network/seizures", "kg").numbers;
  const auto& kind = r.column("network/seizures", "kind").strings;
  const auto& by = r.column("network/seizures", "by").strings;
  REQUIRE(kg.size() == static_cast<std::size_t>(r.totals.seized_count));
  CHECK(std::accumulate(kg.begin(), kg.end(), 0.0) == static_cast<double>(r.totals.seized_kg));
  CHECK(std::accumulate(kg.begin(), kg.end(), 0.0) == r.recorder.summary_value("seized_kg"));
  std::map<std::string, double> rows, kilograms;
  for (std::size_t i = 0; i < kg.size(); ++i) {
    CAPTURE(i, kind[i], by[i], tie[i], node[i]);
    rows[kind[i]] += 1.0;
    kilograms[kind[i]] += kg[i];
    if (kind[i] == "go-fast") {
      CHECK((by[i] == "navy" && tie[i] == 0.0 && node[i] == 0.0));
    } else if (kind[i] == "land") {
      CHECK((by[i] == "army" && tie[i] == 1.0 && node[i] == 1.0));
    } else if (kind[i] == "stash") {
      CHECK((by[i] == "police" && tie[i] == -1.0 && (node[i] == 0.0 || node[i] == 1.0)));
    } else {
      CHECK(kind[i] == "intervention");
      CHECK((by[i] == "sweep" && (tie[i] == -1.0 || tie[i] == 0.0) && node[i] == 0.0));
    }
  }
  CAPTURE(rows);
  CHECK(rows.size() == 4);  // each way of seizing happened
  CHECK(rows["stash"] == r.recorder.summary_value("stash_seized_loads"));
  CHECK(kilograms["stash"] == r.recorder.summary_value("stash_seized_kg"));
}

TEST_CASE("signals announce each seizure, leg, relay and cell change once, as the log records",
          "[signals]") {
  // The same as the dismantling tests' chain: a takedown of relays and cells at day 20.
  Chain chain(3);
  chain.add_radio();
  chain.spec.interventions.push_back(InterventionSpec{
      .id = "raid", .at_day = 20.0, .action = DismantleAction{.relays = {1, 2}, .cells = {1}}});
  Simulation sim;
  interdict::MemoryRecorder recorder;
  model::TraffickingModel model(chain.spec, sim, RandomStreams(3, 0), recorder);
  int relays_down = 0, relays_up = 0, cells_emptied = 0, cells_staffed = 0, seizures = 0, legs = 0;
  model.signals().relay_changed.connect(
      [&](std::size_t, bool up) { ++(up ? relays_up : relays_down); });
  model.signals().cell_staffed.connect(
      [&](std::size_t, bool staffed) { ++(staffed ? cells_staffed : cells_emptied); });
  model.signals().seizure.connect([&](CarrierKind, std::size_t, std::size_t) { ++seizures; });
  model.signals().leg_ended.connect([&](std::size_t, std::size_t, bool) { ++legs; });
  sim.run();
  model.finish();
  CHECK(relays_down == 2);
  int log_relays_up = 0, log_cells_down = 0, log_cells_up = 0;
  for (const ActivityChange& c : model.world().activity_log) {
    if (c.kind == NodeKind::relay && c.active) ++log_relays_up;
    if (c.kind == NodeKind::cell) ++(c.active ? log_cells_up : log_cells_down);
  }
  CHECK(relays_up == log_relays_up);
  CHECK(cells_emptied == log_cells_down);
  CHECK(cells_emptied >= 1);
  CHECK(cells_staffed == log_cells_up);
  CHECK(seizures == model.totals().seized_count);
  CHECK(legs > 0);
}
