// NetworkGenerator and the [generate] section: sizes, reproducibility, reachability, errors.
#include <catch2/catch.hpp>

#include <set>

#include "model/RouteNetwork.hpp"
#include "scenario/InputError.hpp"
#include "scenario/NetworkGenerator.hpp"
#include "scenario/Scenario.hpp"

using namespace interdict;
using namespace interdict::scenario;

TEST_CASE("generated networks have the requested sizes and every market is reachable",
          "[generator]") {
  const auto topology = GENERATE(Topology::geometric, Topology::small_world, Topology::scale_free);
  GeneratorSpec g = spec_defaults().generator;
  g.places = 300;
  g.ports = 6;
  g.sources = 3;
  g.markets = 2;
  g.organisations = 2;
  g.cells = 700;
  g.vessels = 30;
  g.relays = 16;
  g.patrols = 12;
  g.topology = topology;
  const model::ModelSpec spec = generate_network(g, spec_defaults());
  CHECK(spec.places.size() == 303);
  CHECK(spec.cells.size() == 700);
  CHECK(spec.vessels.size() == 30);
  CHECK(spec.relays.size() == 16);
  CHECK(spec.patrols.size() == 12);
  CHECK(spec.organisations.size() == 2);
  std::set<std::string> ids;
  for (const auto& route : spec.routes)
    CHECK(ids.insert(route.id).second);
  const model::RouteNetwork network(spec.places, spec.routes);
  for (const auto& source : spec.sources)
    CHECK(network.fastest_path(source.place, spec.markets[source.market].place));
  for (std::size_t c = 0; c < spec.cells.size(); ++c)
    for (std::size_t tie : spec.cells[c].ties) {
      CHECK(tie != c);
      CHECK(spec.cells[tie].organisation == spec.cells[c].organisation);
    }
}

TEST_CASE("the generator is a function of its seed", "[generator]") {
  GeneratorSpec g = spec_defaults().generator;
  const auto a = generate_network(g, spec_defaults());
  const auto b = generate_network(g, spec_defaults());
  g.seed = 2;
  const auto c = generate_network(g, spec_defaults());
  REQUIRE(a.routes.size() == b.routes.size());
  for (std::size_t r = 0; r < a.routes.size(); ++r)
    CHECK(a.routes[r].id == b.routes[r].id);
  CHECK(a.places[10].latitude == b.places[10].latitude);
  CHECK(a.places[10].latitude != c.places[10].latitude);
}

TEST_CASE("[generate] cannot be mixed with listed entities and checks its sizes", "[generator]") {
  const std::string base = "[generate]\nplaces = 20\nports = 2\nmarkets = 1\ncells = 20\n";
  CHECK(parse_scenario(base, "g.toml").model.cells.size() == 20);
  CHECK_THROWS_WITH(parse_scenario(base + "\n[[places]]\nid = \"x\"\n", "g.toml"),
                    Catch::Contains("places: cannot be combined with [generate]"));
  CHECK_THROWS_WITH(
      parse_scenario("[generate]\nplaces = 20\norganisations = 2\ncells = 30\n", "g.toml"),
      Catch::Contains("generate.cells: needs at least places x organisations = 40"));
  CHECK_THROWS_WITH(parse_scenario("[generate]\nplaces = 3\nports = 2\nmarkets = 2\n", "g.toml"),
                    Catch::Contains("generate.places: needs at least ports + markets = 4"));
  CHECK_THROWS_WITH(parse_scenario("[generate]\ntopology = \"smallworld\"\n", "g.toml"),
                    Catch::Contains("did you mean \"small-world\""));
}
