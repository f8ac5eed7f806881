// Scenario input: every class of bad input gives one error naming file, line, column and key.
#include <catch2/catch.hpp>

#include <string>

#include "model/Observation.hpp"
#include "scenario/InputError.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioKeys.hpp"

using namespace interdict::scenario;

namespace {

// A valid scenario; tests replace one piece of it. Line numbers below refer to this text.
const std::string kValid = R"([simulation]
duration = 100

[[places]]
id = "a"

[[places]]
id = "b"
kind = "market"

[[routes]]
id = "ab"
from = "a"
to = "b"
travel_time = { mean = 2.0, sd = 0.5 }

[[markets]]
id = "m"
place = "b"
price_per_kg = 1000

[[sources]]
id = "s"
place = "a"
market = "m"
rate = 1.0
size_mean = 100

[[patrols]]
id = "p"
route = "ab"
detection_probability = 0.5
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

InputError error_for(const std::string& text) {
  try {
    parse_scenario(text, "test.toml");
  } catch (const InputError& e) {
    return e;
  }
  FAIL("expected an InputError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("the valid scenario parses into the expected model", "[scenario]") {
  const Scenario s = parse_scenario(kValid, "dir/test.toml");
  CHECK(s.name == "test");
  CHECK(s.seed == 1);
  CHECK(s.model.duration_days == 100.0);
  CHECK(s.model.sample_interval_days == 1.0);
  REQUIRE(s.model.routes.size() == 1);
  CHECK(s.model.routes[0].from == 0);
  CHECK(s.model.routes[0].to == 1);
  CHECK(s.model.routes[0].sd_days == 0.5);
  CHECK(s.model.places[0].name == "a");
  CHECK(s.model.patrols[0].end_day == std::numeric_limits<double>::infinity());
  CHECK(s.text == kValid);
}

TEST_CASE("TOML syntax errors give line and column", "[scenario]") {
  const InputError e = error_for(replace(kValid, "duration = 100", "duration = = 100"));
  CHECK(e.file() == "test.toml");
  CHECK(e.line() == 2);
  CHECK(e.column() > 0);
  CHECK_THAT(e.what(), Catch::StartsWith("test.toml:2:") && Catch::Contains("TOML syntax error"));
}

TEST_CASE("wrong types name the key and both types", "[scenario]") {
  const InputError e = error_for(replace(kValid, "rate = 1.0", "rate = \"fast\""));
  CHECK(e.line() == 26);
  CHECK(e.key() == "sources[0].rate");
  CHECK_THAT(e.what(),
             Catch::Contains("test.toml:26:") && Catch::Contains("expected number, found string"));
}

TEST_CASE("out-of-range values name the range and unit", "[scenario]") {
  const InputError e =
      error_for(replace(kValid, "detection_probability = 0.5", "detection_probability = 1.5"));
  CHECK(e.line() == 32);
  CHECK(e.key() == "patrols[0].detection_probability");
  CHECK_THAT(e.message(), Catch::Contains("out of range [0, 1]"));
  const InputError negative = error_for(replace(kValid, "mean = 2.0", "mean = -2.0"));
  CHECK(negative.key() == "routes[0].travel_time.mean");
  CHECK(negative.line() == 15);
  CHECK_THAT(negative.message(), Catch::Contains("(0, 36500] days"));
  const InputError nan = error_for(replace(kValid, "duration = 100", "duration = nan"));
  CHECK(nan.key() == "simulation.duration");
}

TEST_CASE("unknown keys are rejected with a suggestion", "[scenario]") {
  const InputError e =
      error_for(replace(kValid, "size_mean = 100", "size_mean = 100\nsize_sdev = 3"));
  CHECK(e.line() == 28);
  CHECK(e.column() == 1);
  CHECK(e.key() == "sources[0].size_sdev");
  CHECK_THAT(e.message(), Catch::Equals("unknown key (did you mean \"size_sd\"?)"));
  const InputError section = error_for(replace(kValid, "[simulation]", "[simulaton]"));
  CHECK_THAT(section.message(), Catch::Contains("did you mean \"simulation\""));
  const InputError inline_key = error_for(replace(kValid, "sd = 0.5", "sdd = 0.5"));
  CHECK(inline_key.key() == "routes[0].travel_time.sdd");
}

TEST_CASE("references to missing ids are rejected with a suggestion", "[scenario]") {
  const InputError e = error_for(replace(kValid, "to = \"b\"", "to = \"bb\""));
  CHECK(e.line() == 14);
  CHECK(e.key() == "routes[0].to");
  CHECK_THAT(e.message(), Catch::Equals("no place with id \"bb\" (did you mean \"b\"?)"));
  const InputError route = error_for(replace(kValid, "route = \"ab\"", "route = \"xy\""));
  CHECK(route.key() == "patrols[0].route");
  CHECK_THAT(route.message(), Catch::StartsWith("no route with id \"xy\""));
}

TEST_CASE("duplicate ids point at the second definition and name the first", "[scenario]") {
  const InputError e = error_for(replace(kValid, "id = \"b\"", "id = \"a\""));
  CHECK(e.line() == 8);
  CHECK(e.key() == "places[1].id");
  CHECK_THAT(e.message(), Catch::Contains("duplicate place id \"a\" (first defined on line 5)"));
}

TEST_CASE("missing required keys and bad choices are named", "[scenario]") {
  const InputError missing = error_for(replace(kValid, "price_per_kg = 1000", ""));
  CHECK(missing.key() == "markets[0].price_per_kg");
  CHECK(missing.line() == 17);
  CHECK_THAT(missing.message(), Catch::Contains("required key is missing"));
  const InputError choice = error_for(replace(kValid, "kind = \"market\"", "kind = \"markt\""));
  CHECK(choice.key() == "places[1].kind");
  CHECK_THAT(choice.message(), Catch::Contains("did you mean \"market\""));
}

TEST_CASE("a source whose market cannot be reached is rejected", "[scenario]") {
  const InputError e = error_for(
      replace(replace(kValid, "from = \"a\"", "from = \"b\""), "to = \"b\"", "to = \"a\""));
  CHECK(e.key() == "sources[0].market");
  CHECK_THAT(e.message(), Catch::Contains("no chain of routes leads from place \"a\""));
}

TEST_CASE("a missing file is an input error", "[scenario]") {
  CHECK_THROWS_WITH(load_scenario("/nonexistent/x.toml"),
                    Catch::Contains("/nonexistent/x.toml: no such file"));
  CHECK_THROWS_AS(load_scenario("/tmp"), InputError);
}

TEST_CASE("every declared key has a description and consistent defaults", "[scenario]") {
  for (const KeySpec& key : scenario_keys()) {
    CAPTURE(key.path);
    CHECK(!key.description.empty());
    CHECK(!(key.required && !key.default_value.empty()));
    CHECK(find_key(key.path) == &key);
  }
  CHECK(key_pattern("routes[12].travel_time.mean") == "routes[].travel_time.mean");
}

TEST_CASE("output.series names recorded series, each known and once", "[scenario]") {
  const Scenario chosen = parse_scenario(
      replace(kValid, "duration = 100",
              "duration = 100\n[output]\nseries = [\"seized_kg\", \"delivered_kg\"]"),
      "test.toml");
  REQUIRE(chosen.model.recorded_series.size() == 2);
  CHECK(interdict::model::Observation::series()[chosen.model.recorded_series[0]].name ==
        "seized_kg");
  CHECK(interdict::model::Observation::series()[chosen.model.recorded_series[1]].name ==
        "delivered_kg");
  CHECK(parse_scenario(kValid, "test.toml").model.recorded_series.empty());  // all
  const InputError unknown = error_for(
      replace(kValid, "duration = 100", "duration = 100\n[output]\nseries = [\"delivered\"]"));
  CHECK(unknown.key() == "output.series");
  CHECK(unknown.line() == 4);
  CHECK_THAT(unknown.message(),
             Catch::Equals("unknown series \"delivered\" (did you mean \"delivered_kg\"?)"));
  const InputError twice = error_for(replace(
      kValid, "duration = 100", "duration = 100\n[output]\nseries = [\"arrests\", \"arrests\"]"));
  CHECK_THAT(twice.message(), Catch::Contains("\"arrests\" listed twice"));
}

TEST_CASE("an override whose index is not a number is an input error", "[scenario]") {
  // Found by fuzz_scenario: std::stoul threw std::invalid_argument past every handler.
  for (const char* set : {"routes[x].exposure=1", "routes[].exposure=1",
                          "routes[99999999999999999999999].exposure=1", "routes[-1].exposure=1"})
    CHECK_THROWS_AS(parse_scenario(kValid, "test.toml", {set}), InputError);
  CHECK_THROWS_WITH(parse_scenario(kValid, "test.toml", {"routes[x].exposure=1"}),
                    Catch::Contains("\"x\" is not an index"));
}
