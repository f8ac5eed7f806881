// Enforcement strategies: the intelligence picture, triggers, actions, targeting and budgets,
// on the Veracruz scenario with overrides.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/TraffickingModel.hpp"
#include "scenario/InputError.hpp"
#include "scenario/Scenario.hpp"
#include "unit/LoggedInterventions.hpp"

using namespace interdict;

namespace {

std::string veracruz() {
  return std::string(INTERDICT_SOURCE_DIR) + "/scenarios/veracruz.toml";
}

/// Runs Veracruz with overrides; `inspect` sees the model at the end.
template <class Inspect>
testing::LogRecorder run_veracruz(std::vector<std::string> overrides, std::uint64_t seed,
                                  Inspect inspect) {
  const scenario::Scenario s = scenario::load_scenario(veracruz(), overrides);
  testing::LogRecorder recorder;
  Simulation sim;
  model::TraffickingModel model(s.model, sim, RandomStreams(seed, 0), recorder);
  sim.run();
  model.finish();
  inspect(model);
  return recorder;
}

testing::LogRecorder run_veracruz(std::vector<std::string> overrides, std::uint64_t seed = 1) {
  return run_veracruz(std::move(overrides), seed, [](const model::TraffickingModel&) {});
}

std::string parse_error(const std::vector<std::string>& overrides) {
  try {
    scenario::load_scenario(veracruz(), overrides);
  } catch (const scenario::InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the intelligence picture never holds a tie the true network lacks", "[strategies]") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    run_veracruz({"intelligence.social_media=true", "intelligence.informant_rate=0.05",
                  "intelligence.radio_interception=true", "intelligence.reveal_probability=1.0"},
                 seed, [](const model::TraffickingModel& m) {
                   const auto& true_graph = m.intelligence().cell_graph();
                   std::set<std::pair<std::size_t, std::size_t>> truth;
                   for (const graph::Tie& t : true_graph.ties())
                     truth.insert({t.from, t.to});
                   for (double delay : {0.0, 7.0}) {
                     const auto picture = m.intelligence().picture(delay);
                     for (const graph::Tie& t : picture.ties.ties()) {
                       CHECK(truth.count({t.from, t.to}) == 1);
                       CHECK(picture.cells[t.from]);
                       CHECK(picture.cells[t.to]);
                     }
                   }
                   CHECK(m.intelligence().picture(0.0).ties.tie_count() > 0);
                 });
  }
}

TEST_CASE("the known network grows from seizures and decays without refresh", "[strategies]") {
  // Raids are thinned by what the police know, so they would make the two runs differ: off.
  const MemoryRecorder short_memory =
      run_veracruz({"intelligence.lifetime=20", "agencies[2].raid_rate=0"});
  const MemoryRecorder long_memory =
      run_veracruz({"intelligence.lifetime=3000", "agencies[2].raid_rate=0"});
  const auto& a = short_memory.values("known_nodes");
  const auto& b = long_memory.values("known_nodes");
  CHECK(a.front() == 0.0);
  CHECK(*std::max_element(b.begin(), b.end()) > 0.0);
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(a[i] <= b[i]);  // same learning (same streams), shorter memory
  CHECK(std::accumulate(a.begin(), a.end(), 0.0) < std::accumulate(b.begin(), b.end(), 0.0));
  // The oracle knows every operating cell and tie at once.
  const MemoryRecorder oracle = run_veracruz({"intelligence.oracle=true"});
  CHECK(oracle.values("known_nodes") == oracle.values("true_nodes"));
  CHECK(oracle.values("known_ties") == oracle.values("true_ties"));
}

TEST_CASE("a sharing delay of d shifts the first targeted arrest by d", "[strategies]") {
  // Intelligence boosts are off so that the delay changes nothing else before the arrest.
  const auto first_arrest = [](int delay) {
    const auto r = run_veracruz(
        {"agencies[0].intel_boost=0", "agencies[0].sharing_delay=" + std::to_string(delay),
         "interventions=[{id='arrest', action='arrest', every=1.0, agency='navy', arrests=1, "
         "strategy='degree'}]"});
    for (const model::InterventionRecord& i : r.interventions())
      if (i.arrests > 0) return i.time;
    return -1.0;
  };
  const double t0 = first_arrest(0);
  REQUIRE(t0 > 0);
  for (int d : {3, 10, 25})
    CHECK(first_arrest(d) == t0 + d);
}

TEST_CASE("an agency's budget is never exceeded", "[strategies]") {
  const auto r = run_veracruz(
      {"agencies[1].budget=1000000",
       "interventions=[{id='raids', action='arrest', every=10.0, agency='army', arrests=5, "
       "cost=50000.0, cost_per_arrest=35000.0, network='true', strategy='random'}]"});
  double spent = 0.0;
  int refused = 0;
  int partial = 0;
  for (const model::InterventionRecord& i : r.interventions()) {
    spent += i.cost;
    CHECK(spent <= 1000000.0);
    refused += i.action == "arrest (not affordable)";
    partial += i.action == "arrest" && i.arrests > 0 && i.arrests < 5;
  }
  CHECK(spent > 900000.0);  // it spent nearly all of it
  CHECK(refused > 0);
  CHECK(partial == 1);  // 4 raids cost 900,000; the fifth affords one arrest, then none
}

TEST_CASE("triggers: every, after, and when a metric crosses a threshold", "[strategies]") {
  const auto r = run_veracruz(
      {"interventions=[{id='tick', action='sharing', every=100.0, start=50.0, until=460.0, "
       "sharing_delay=3.0}, {id='tock', action='sharing', after='tick', delay=2.5, "
       "sharing_delay=5.0}, {id='alarm', action='monitoring', when={metric='seized_kg', "
       "above=10000.0}, social_media=true}, {id='quiet', action='monitoring', "
       "when={metric='relays_up', below=14.0}, radio_interception=true}]"});
  std::vector<double> tick, tock, alarm, quiet;
  for (const model::InterventionRecord& i : r.interventions()) {
    (i.id == "tick"    ? tick
     : i.id == "tock"  ? tock
     : i.id == "alarm" ? alarm
                       : quiet)
        .push_back(i.time);
  }
  CHECK(tick == std::vector<double>{50, 150, 250, 350, 450});
  CHECK(tock == std::vector<double>{52.5, 152.5, 252.5, 352.5, 452.5});
  REQUIRE(alarm.size() == 1);  // seized kg only ever rises: it crosses once
  const auto& times = r.times();
  const auto& seized = r.values("seized_kg");
  std::size_t k = 0;
  while (seized[k] <= 10000.0)
    ++k;
  CHECK(alarm[0] == times[k]);  // at the first sample above the threshold
  CHECK(quiet.empty());         // no takedown here: all relays stay up
}

TEST_CASE("conditions are checked on their own schedule: the sample interval changes no run",
          "[strategies]") {
  // A condition that can hold for a few days only: relays below 14 between the takedown and
  // their rebuilding. Sampled daily or every ten days, the same interventions fire at the same
  // times and the runs end the same; checked every ten days instead, they need not.
  const std::string when =
      "interventions=[{id='takedown', action='dismantle', at=100.5, relays=['antenna-veracruz', "
      "'antenna-cordoba']}, {id='react', action='sharing', when={metric='relays_up', below=14.0}, "
      "sharing_delay=1.0}]";
  const auto fired = [](const testing::LogRecorder& r) {
    std::vector<std::pair<std::string, double>> out;
    for (const model::InterventionRecord& i : r.interventions())
      out.emplace_back(i.id, i.time);
    return out;
  };
  const auto daily = run_veracruz({when, "output.sample_interval=1.0"});
  const auto sparse = run_veracruz({when, "output.sample_interval=10.0"});
  REQUIRE(fired(daily).size() == 2);
  CHECK(fired(daily)[1] == std::pair<std::string, double>{"react", 101.0});
  CHECK(fired(sparse) == fired(daily));
  CHECK(sparse.summary_value("delivered_kg") == daily.summary_value("delivered_kg"));
  CHECK(sparse.summary_value("arrests") == daily.summary_value("arrests"));
  const auto checked = run_veracruz({when, "simulation.check_interval=10.0"});
  CHECK(fired(checked)[1] == std::pair<std::string, double>{"react", 110.0});
}

TEST_CASE("patrol actions scale, move and re-allocate patrols", "[strategies]") {
  const auto r = run_veracruz(
      {"interventions=[{id='double', action='patrol', at=100.0, patrol='navy-veracruz', "
       "scale=2.0}, {id='move', action='patrol', at=200.0, patrol='army-checkpoint', "
       "route='veracruz-xalapa'}, {id='follow', action='patrol', at=300.0, "
       "patrol='police-veracruz-poza-rica', reallocate=true}]"},
      1, [](const model::TraffickingModel& m) {
        const model::World& w = m.world();
        CHECK(w.patrols[0].intensity == Approx(2 * 0.32));
        const auto& spec = w.spec;
        CHECK(spec.routes[w.patrols[5].route].id == "veracruz-xalapa");
        // Re-allocated to the route with the most seizures when it fired.
        CHECK(spec.routes[w.patrols[2].route].mode == model::RouteMode::sea);
        CHECK(std::count(w.patrols_on_route[w.patrols[5].route].begin(),
                         w.patrols_on_route[w.patrols[5].route].end(), 5u) == 1);
      });
  CHECK(r.interventions().size() == 3);
  CHECK(r.interventions()[0].targets ==
        "patrol navy-veracruz on sea-veracruz, intensity 0.64, detection 0");
}

TEST_CASE("dismantling selected targets: relays by kind and cells by strategy", "[strategies]") {
  const auto r = run_veracruz(
      {"interventions=[{id='antennas', at=100.0, target='relays', kind='antenna', count=3, "
       "strategy='betweenness'}, {id='hubs', at=200.0, target='cells', network='true', "
       "strategy='key-player', count=1}]"});
  REQUIRE(r.interventions().size() == 2);
  const model::InterventionRecord antennas = r.interventions()[0];
  CHECK(antennas.targets.rfind("relays: antenna-", 0) == 0);
  CHECK(std::count(antennas.targets.begin(), antennas.targets.end(), ',') == 2);
  const model::InterventionRecord hubs = r.interventions()[1];
  CHECK(hubs.targets.rfind("cells: ", 0) == 0);
  CHECK(hubs.arrests > 0);
  // The key player is the cell whose loss most fragments the true network.
  CHECK(testing::measure(hubs, "true_largest_component_after") <
        testing::measure(hubs, "true_largest_component_before"));
  CHECK(testing::measure(hubs, "true_efficiency_after") <
        testing::measure(hubs, "true_efficiency_before"));
  CHECK(testing::measure(hubs, "true_nodes_after") ==
        testing::measure(hubs, "true_nodes_before") - 1);
  CHECK(hubs.network.size() == 32);  // 8 measures x (true, known) x (before, after)
}

TEST_CASE("strategy errors are located and explained", "[strategies][input]") {
  CHECK_THAT(parse_error({"interventions=[{id='x', action='arrest', arrests=1}]"}),
             Catch::Contains("interventions[0].id: needs a trigger: at, every, when or after"));
  CHECK_THAT(parse_error({"interventions=[{id='x', at=1.0, every=2.0}]"}),
             Catch::Contains("has two triggers (at and every); give one"));
  CHECK_THAT(parse_error({"interventions=[{id='x', when={metric='seized_k', above=1.0}}]"}),
             Catch::Contains("unknown metric \"seized_k\" (did you mean \"seized_kg\"?)"));
  CHECK_THAT(parse_error({"interventions=[{id='x', after='y'}, {id='y', after='x'}]"}),
             Catch::Contains("comes back to itself with no delay"));
  CHECK_THAT(parse_error({"interventions=[{id='x', at=1.0, action='patrol'}]"}),
             Catch::Contains("a patrol action needs `patrol`"));
  CHECK_THAT(parse_error({"interventions=[{id='x', at=1.0, action='arrest', arrests=2, "
                          "strategy='pagerank'}]"}),
             Catch::Contains("strategy"));
  CHECK_THAT(parse_error({"social_network={file='missing.csv', organisation='zetas'}"}),
             Catch::Contains("missing.csv: cannot open the network file"));
}

TEST_CASE("a published network becomes cells and ties", "[strategies][input]") {
  const scenario::Scenario s = scenario::load_scenario(
      veracruz(), {"social_network={file='../tests/data/networks/caviar.csv', "
                   "organisation='zetas', places=['veracruz', 'xalapa'], id_prefix='caviar-'}"});
  const auto& cells = s.model.cells;
  REQUIRE(cells.size() == 12 + 110);
  std::size_t ties = 0;
  int leaders = 0;
  int brokers = 0;
  for (std::size_t c = 12; c < cells.size(); ++c) {
    ties += cells[c].ties.size();
    leaders += cells[c].members[0];
    brokers += cells[c].members[1];
    CHECK(cells[c].id.rfind("caviar-", 0) == 0);
  }
  CHECK(ties == 2 * 205);  // undirected, as `interdict network` counts them
  CHECK(leaders == 1);
  CHECK(brokers == 11);                       // 10% of 110, by degree
  CHECK(cells[12].place != cells[13].place);  // spread over the places in turn
}
