// Scenario input: every class of bad input gives one error naming file, line, column and key.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

#include "core/RandomStreams.hpp"
#include "core/Recorder.hpp"
#include "core/Simulation.hpp"
#include "model/TraffickingModel.hpp"
#include "scenario/InputError.hpp"
#include "scenario/InputFile.hpp"
#include "scenario/NetworkFile.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioKeys.hpp"

using namespace interdict::scenario;
namespace fs = std::filesystem;

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
  CHECK(s.model.exact_measure_limit == 1000);
  CHECK(s.model.measure_error == 0.05);
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
  CHECK_THAT(negative.message(), Catch::Contains("[0.0001, 36500] days"));
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
  CHECK(interdict::model::TraffickingModel::series()[chosen.model.recorded_series[0]].name ==
        "seized_kg");
  CHECK(interdict::model::TraffickingModel::series()[chosen.model.recorded_series[1]].name ==
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

TEST_CASE("entry numbers in --set keys are whole numbers, else one input error", "[scenario]") {
  const auto error_of = [](const std::string& assignment) {
    try {
      parse_scenario(kValid, "test.toml", {assignment});
    } catch (const InputError& e) {
      return e;
    }
    FAIL("expected an InputError for " << assignment);
    throw std::logic_error("unreachable");
  };
  for (const std::string index : {"x", "", "-1", " 1", "+0", "0x1", "1][0"}) {
    CAPTURE(index);
    const InputError e = error_of("patrols[" + index + "].detection_probability=1");
    CHECK(e.file() == "--set patrols[" + index + "].detection_probability");
    CHECK(e.key() == "patrols[" + index + "].detection_probability");
    CHECK_THAT(e.message(), Catch::StartsWith("no entry patrols[" + index + "]"));
  }
  CHECK_THAT(error_of("patrols[x].detection_probability=1").message(),
             Catch::Contains("no entry has this id") && Catch::Contains("or by id"));
  for (const std::string index : {"1", "18446744073709551615", "99999999999999999999"}) {
    CAPTURE(index);
    CHECK_THAT(error_of("patrols[" + index + "].detection_probability=1").message(),
               Catch::StartsWith("no entry patrols[" + index + "] in the scenario"));
  }
  CHECK(parse_scenario(kValid, "test.toml", {"patrols[0].detection_probability=1"})
            .model.patrols[0]
            .detection_probability == 1.0);
}

TEST_CASE("parse_unsigned reads digits only, in range", "[scenario]") {
  CHECK(parse_unsigned("0") == 0u);
  CHECK(parse_unsigned("007") == 7u);
  CHECK(parse_unsigned("18446744073709551615") == UINT64_MAX);
  CHECK(parse_unsigned("4294967295", 4294967295u) == 4294967295u);
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1/2", "2abc", "0x10", "1e3",
                          "18446744073709551616", "99999999999999999999"})
    CHECK_FALSE(parse_unsigned(bad).has_value());
  CHECK_FALSE(parse_unsigned("4294967296", 4294967295u).has_value());
}

TEST_CASE("a base scenario name too long for the system is an input error", "[scenario]") {
  const std::string name(300, 'b');
  const InputError e = error_for("[scenario]\nbase = \"" + name + ".toml\"\n\n" + kValid);
  CHECK(e.file() == "test.toml");
  CHECK(e.line() == 2);
  CHECK(e.key() == "scenario.base");
  CHECK_THAT(e.message(), Catch::Contains("cannot read the base scenario") &&
                              Catch::Contains("file name too long"));
}

TEST_CASE("input files must be regular files of bounded size", "[scenario][input]") {
  const fs::path dir =
      fs::temp_directory_path() / ("interdict-input-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  CHECK_THROWS_WITH(load_scenario(dir.string()),
                    Catch::EndsWith("not a regular file (a directory)"));
  CHECK_THROWS_WITH(
      read_network_file(dir.string(), std::nullopt, false),
      Catch::EndsWith("cannot open the network file: not a regular file (a directory)"));
  // Sparse files: refused from their size, before a byte is read.
  const fs::path big_network = dir / "big.csv";
  std::ofstream(big_network) << "a,b\n";
  fs::resize_file(big_network, kMaxNetworkFileBytes + 1);
  CHECK_THROWS_WITH(read_network_file(big_network.string(), std::nullopt, false),
                    Catch::Contains("more than the 256 MiB an input file may have"));
  const fs::path big_scenario = dir / "big.toml";
  std::ofstream(big_scenario) << kValid;
  fs::resize_file(big_scenario, kMaxScenarioFileBytes + 1);
  CHECK_THROWS_WITH(load_scenario(big_scenario.string()),
                    Catch::Contains("more than the 64 MiB an input file may have"));
  fs::remove_all(dir);
}

TEST_CASE("a scenario without a source of shipments is refused", "[scenario]") {
  const InputError empty = error_for("");
  CHECK(empty.file() == "test.toml");
  CHECK(empty.key() == "sources");
  CHECK_THAT(empty.message(), Catch::StartsWith("the scenario defines no source of shipments"));
  CHECK(error_for("# only a comment\n[simulation]\nduration = 10\n").key() == "sources");
  const std::string without_source = replace(
      kValid,
      "[[sources]]\nid = \"s\"\nplace = \"a\"\nmarket = \"m\"\nrate = 1.0\nsize_mean = 100\n", "");
  CHECK(error_for(without_source).key() == "sources");
  const InputError listed = error_for("sources = []\n" + without_source);
  CHECK(listed.line() == 1);
  CHECK(listed.key() == "sources");
  try {
    parse_scenario(kValid, "test.toml", {"sources=[]"});
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(e.file() == "--set sources");
  }
}

TEST_CASE("values that would make a run endless or huge are refused", "[scenario]") {
  const auto message_for = [](const std::string& from, const std::string& to) {
    return error_for(replace(kValid, from, to)).message();
  };
  // Tiny intervals and rates: out of their declared ranges.
  for (const char* interval : {"1e-9", "5e-324"}) {
    const InputError e = error_for(replace(kValid, "duration = 100",
                                           std::string("duration = 100\n[output]\n"
                                                       "sample_interval = ") +
                                               interval));
    CHECK(e.key() == "output.sample_interval");
    CHECK_THAT(e.message(), Catch::Contains("out of range [0.001, 36500] days"));
  }
  // A sampling error of 0 would need endless pairs; exact measures of a million cells, days.
  CHECK_THAT(message_for("duration = 100", "duration = 100\n[output]\nmeasure_error = 0"),
             Catch::Contains("out of range [0.01, 0.5]"));
  CHECK_THAT(
      message_for("duration = 100", "duration = 100\n[output]\nexact_measure_limit = 1000000"),
      Catch::Contains("out of range [0, 10000] cells"));
  CHECK_THAT(message_for("rate = 1.0", "rate = 5e-324"),
             Catch::Contains("out of range [1e-06, 10000] shipments/day"));
  CHECK_THAT(message_for("size_mean = 100",
                         "size_mean = 100\n[[interventions]]\nid = \"i\"\n"
                         "every = 5e-324\naction = \"patrol\"\npatrol = \"p\""),
             Catch::Contains("out of range [0.001, 36500] days"));
  // Rates where 0 means none: 0 or at least the smallest rate that ever fires.
  CHECK_THAT(
      message_for("duration = 100", "duration = 100\n[intelligence]\ninformant_rate = 1e-300"),
      Catch::Contains("out of range 0 or [1e-06, 1000] 1/day"));
  CHECK(parse_scenario(
            replace(kValid, "duration = 100", "duration = 100\n[intelligence]\ninformant_rate = 0"),
            "test.toml")
            .model.intelligence.informant_rate == 0.0);
  // Counts of a whole run, estimated when it is read.
  const InputError samples = error_for(
      replace(kValid, "duration = 100", "duration = 36500\n[output]\nsample_interval = 0.01"));
  CHECK(samples.key() == "output.sample_interval");
  CHECK(samples.line() == 4);
  CHECK_THAT(samples.message(),
             Catch::Contains("records 3.65e+06 samples, more than the 1e+06 a run may have"));
  const InputError loads = error_for(
      replace(replace(kValid, "duration = 100", "duration = 36500"), "rate = 1.0", "rate = 10000"));
  CHECK(loads.key() == "sources[0].rate");
  CHECK_THAT(loads.message(), Catch::Contains("about 3.65e+08 loads"));
  const std::string every_day = replace(
      replace(kValid, "duration = 100", "duration = 36500"), "size_mean = 100",
      "size_mean = 100\n[[interventions]]\nid = \"daily\"\nevery = 1\naction = \"patrol\"\n"
      "patrol = \"p\"\n[[interventions]]\nid = \"then\"\nafter = \"daily\"\naction = \"patrol\"\n"
      "patrol = \"p\"");
  CHECK_NOTHROW(parse_scenario(every_day, "test.toml"));  // 73,002 firings
  const std::string chained = every_day +
                              "\n[[interventions]]\nid = \"again\"\nafter = \"then\"\n"
                              "action = \"patrol\"\npatrol = \"p\"\n";
  const InputError firings = error_for(chained);
  CHECK(firings.key() == "interventions[0].every");
  CHECK_THAT(firings.message(), Catch::Contains("fire about 1.1e+05 times"));
}

TEST_CASE("loads split for small vessels count as the pieces", "[scenario]") {
  const std::string carried =
      replace(kValid, "size_mean = 100", "size_mean = 1000000\norganisation = \"o\"") +
      "\n[[organisations]]\nid = \"o\"\n\n[[cells]]\nid = \"c\"\norganisation = \"o\"\n"
      "place = \"a\"\n\n[[vessels]]\nid = \"v\"\norganisation = \"o\"\nhome = \"a\"\n"
      "capacity = 1000\n";
  CHECK_NOTHROW(parse_scenario(carried, "test.toml"));  // 100 days x 1000 pieces
  const InputError e = error_for(
      replace(replace(carried, "capacity = 1000", "capacity = 1"), "rate = 1.0", "rate = 2.0"));
  CHECK(e.key() == "sources[0].rate");
  CHECK_THAT(e.message(), Catch::Contains("about 2e+08 loads"));
}

TEST_CASE("generated networks stay within their limits", "[scenario][generator]") {
  const auto error_of = [](const std::string& text) {
    try {
      parse_scenario(text, "g.toml");
    } catch (const InputError& e) {
      return e;
    }
    FAIL("expected an InputError");
    throw std::logic_error("unreachable");
  };
  // 100,000 relays of one organisation on 1,000 places: most share a place with another, and
  // those are ranked by a scan of all 100,000.
  const InputError relays = error_of("[generate]\nplaces = 1000\ncells = 1000\nrelays = 100000\n");
  CHECK(relays.key() == "generate.relays");
  CHECK(relays.line() == 4);
  CHECK_THAT(relays.message(), Catch::StartsWith("generating the network takes about 1e+10 steps"));
  // 1,000 markets supplied by one organisation over 100,000 places: 1,000 trees of about
  // 32 x 100,000 + 25 x 460,000 bytes each, 1.5e10 in all.
  const InputError trees =
      error_of("[generate]\nplaces = 100000\nmarkets = 1000\nsources = 1000\ncells = 100000\n");
  CHECK(trees.key() == "generate.markets");
  CHECK_THAT(trees.message(), Catch::StartsWith("route planning would keep about 1.48e+10 bytes"));
  const InputError sea =
      error_of("[generate]\nsources = 100000\nports = 100000\nplaces = 100002\ncells = 100002\n");
  CHECK(sea.key() == "generate.sources");
  CHECK_THAT(sea.message(), Catch::Contains("about 1e+10 routes"));
  const InputError loads =
      error_of("[simulation]\nduration = 36500\n[generate]\nshipment_rate = 10000\n");
  CHECK(loads.key() == "generate.shipment_rate");
  CHECK_THAT(loads.message(), Catch::Contains("about 7.3e+08 loads"));
}

TEST_CASE("every numeric key at the ends of its range is refused or runs", "[scenario][slow]") {
  // On a scenario with every kind of entity and a periodic intervention from day 0, set each
  // number to its smallest, smallest positive and largest accepted values: `validate` accepting
  // one must mean a run that ends without error.
  const std::string scenario =
      std::string(INTERDICT_SOURCE_DIR) + "/scenarios/strategies/broker-arrests.toml";
  const auto text = [](const KeySpec& key, double x) {
    if (key.type == KeyType::integer) return std::to_string(static_cast<std::int64_t>(x));
    std::ostringstream out;
    out << std::setprecision(17) << x;
    return out.str();
  };
  std::size_t runs = 0;
  for (const KeySpec& key : scenario_keys()) {
    if (key.type != KeyType::number && key.type != KeyType::integer) continue;
    std::string path(key.path);
    for (auto at = path.find("[]"); at != std::string::npos; at = path.find("[]"))
      path.replace(at, 2, "[0]");
    std::vector<double> values{key.max, key.least_positive};
    if (!key.min_exclusive) values.push_back(key.min);
    values.push_back(key.type == KeyType::integer ? key.min + 1 : std::nextafter(key.min, key.max));
    for (const double x : values) {
      if (!std::isfinite(x)) continue;
      std::vector<std::string> overrides{"interventions[0].start=0", path + "=" + text(key, x)};
      if (path != "simulation.duration") overrides.push_back("simulation.duration=20");
      CAPTURE(overrides);
      Scenario s;
      try {
        s = load_scenario(scenario, overrides);
      } catch (const InputError&) {
        continue;  // refused: fine
      }
      ++runs;
      s.model.duration_days = std::min(s.model.duration_days, 20.0);
      interdict::MemoryRecorder recorder;
      interdict::Simulation sim;
      interdict::model::TraffickingModel model(s.model, sim, interdict::RandomStreams(1, 0),
                                               recorder);
      CHECK_NOTHROW(sim.run());
      model.finish();
    }
  }
  CHECK(runs > 100);
}

TEST_CASE("every key the key table declares is read by the scenario builder", "[scenario][keys]") {
  // The shipped scenarios (among them a generated network), imported networks and a `when`
  // trigger read every declared key between them (a key counts as read where the code that
  // reads its entity asks for it, present or not); a key that is declared, and so validated and
  // documented, but never read would be ignored silently.
  const fs::path root(INTERDICT_SOURCE_DIR);
  std::set<std::string> read;
  const auto parse = [&](const std::string& text, const fs::path& at,
                         const std::vector<std::string>& overrides = {}) {
    parse_scenario(text, at.string(), overrides, &read);
  };
  for (const auto& entry : fs::recursive_directory_iterator(root / "scenarios")) {
    // Study and calibration files are not scenarios.
    const fs::path folder = entry.path().parent_path().filename();
    if (entry.path().extension() != ".toml" || folder == "studies" || folder == "calibration")
      continue;
    parse(read_input_file(entry.path().string()), entry.path());
  }
  const fs::path veracruz = root / "scenarios" / "veracruz.toml";
  const std::string text = read_input_file(veracruz.string());
  const fs::path dir = fs::temp_directory_path() / ("interdict-keys-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "cells.graphml")
      << "<graphml><key id='r' for='node' attr.name='job' attr.type='string'/>"
         "<key id='p' for='node' attr.name='town' attr.type='string'/>"
         "<graph edgedefault='undirected'><node id='a'><data key='r'>leader</data>"
         "<data key='p'>xalapa</data></node><node id='b'><data key='r'>broker</data></node>"
         "<edge source='a' target='b'/></graph></graphml>";
  std::ofstream(dir / "ties.csv") << "source,target\na,b\n";
  std::ofstream(dir / "nodes.csv") << "id,role,place\na,leader,xalapa\nb,transporter,veracruz\n";
  parse(text, veracruz,
        {"social_network={file='" + (dir / "cells.graphml").string() +
         "', organisation='zetas', places=['veracruz'], id_prefix='g-', role_attribute='job', "
         "place_attribute='town', format='graphml', members=2}"});
  parse(text, veracruz,
        {"social_network={file='" + (dir / "ties.csv").string() + "', nodes='" +
         (dir / "nodes.csv").string() + "', organisation='zetas', places=['veracruz']}"});
  fs::remove_all(dir);
  parse(text, veracruz,
        {"social_network={file='../tests/data/networks/karate.csv', organisation='zetas', "
         "places=['veracruz'], roles='by-degree', broker_share=0.2}"});
  parse(text, veracruz,
        {"interventions=[{id='alarm', action='monitoring', when={metric='seized_kg', "
         "above=1.0}, social_media=true}]"});
  parse(text, veracruz,
        {"bribes=[{id='coast', organisation='zetas', route='sea-veracruz', effect=0.4, "
         "cost_per_day=100, replace_days=20, start=5}, {id='police', organisation='zetas', "
         "place='veracruz'}]",
         "interventions=[{id='purge', action='purge', at=100, bribes=['police']}]"});
  std::vector<std::string> unread;
  for (const KeySpec& key : scenario_keys())
    if (key.type != KeyType::table && key.type != KeyType::table_array &&
        !read.count(std::string(key.path)))
      unread.emplace_back(key.path);
  INFO("declared but never read: " << Catch::Detail::stringify(unread));
  CHECK(unread.empty());
}

TEST_CASE("spec_defaults holds every entity parameter at its key-table default",
          "[scenario][keys]") {
  // Generated networks and specs built in code start from spec_defaults(), so defaults live only
  // in the key table: a key with a default that spec_defaults() does not read would leave its
  // field at zero there, unlike in a written scenario.
  std::set<std::string> read;
  const SpecDefaults d = spec_defaults(&read);
  // Keys with defaults that are not parameters of an entity (references to others, the seed),
  // or belong to interventions (built only from files) or to imported networks.
  const auto elsewhere = [](std::string_view path) {
    return path.starts_with("scenario.") || path == "simulation.seed" || path == "cells[].ties" ||
           path == "relays[].covers" || path == "relays[].links" ||
           path.starts_with("interventions[]") || path.starts_with("social_network");
  };
  std::vector<std::string> missing;
  for (const KeySpec& key : scenario_keys())
    if (!key.default_value.empty() && !elsewhere(key.path) && !read.count(std::string(key.path)))
      missing.emplace_back(key.path);
  INFO(
      "keys with a default that spec_defaults() leaves out: " << Catch::Detail::stringify(missing));
  CHECK(missing.empty());
  // A few values, against the key table as written.
  CHECK(d.organisation.learning_rate == 0.5);
  CHECK(d.organisation.coordination_timeout == 1.0);
  CHECK(d.vessel.crew == 3);
  CHECK(d.patrol.arrest_probability == 0.5);
  CHECK(d.patrol.end_day == interdict::model::kNever);
  CHECK(d.agency.budget == interdict::model::kNever);
  CHECK(d.source.organisation == interdict::model::kNone);
  CHECK(d.model.intelligence.lifetime == 180.0);
  CHECK(d.model.duration_days == 365.0);
  CHECK(d.generator.places == 100);
  CHECK(d.cell.members == interdict::model::RoleCounts{1, 1, 2, 0});
}

TEST_CASE("an override whose index is not a number is an input error", "[scenario]") {
  // Found by fuzz_scenario: std::stoul threw std::invalid_argument past every handler.
  for (const char* set : {"routes[x].exposure=1", "routes[].exposure=1",
                          "routes[99999999999999999999999].exposure=1", "routes[-1].exposure=1"})
    CHECK_THROWS_AS(parse_scenario(kValid, "test.toml", {set}), InputError);
  CHECK_THROWS_WITH(parse_scenario(kValid, "test.toml", {"routes[x].exposure=1"}),
                    Catch::Contains("named by number, as in routes[0], or by id"));
}
