// End to end: every scenario in scenarios/ through the CLI commands, read back from HDF5.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/Commands.hpp"
#include "io/ResultReader.hpp"
#include "io/ResultWriter.hpp"
#include "scenario/ScenarioKeys.hpp"

using namespace interdict;
namespace fs = std::filesystem;

namespace {

/// Scenarios in scenarios/ and scenarios/strategies/ (studies are not scenarios).
std::vector<fs::path> all_scenarios() {
  std::vector<fs::path> out;
  const fs::path root = fs::path(INTERDICT_SOURCE_DIR) / "scenarios";
  for (const fs::path& dir : {root, root / "strategies"})
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".toml") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("interdict-e2e-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

}  // namespace

TEST_CASE("every scenario runs and its HDF5 file reads back with consistent values", "[e2e]") {
  const auto scenarios = all_scenarios();
  REQUIRE(scenarios.size() >= 2);
  for (const fs::path& scenario : scenarios) {
    CAPTURE(scenario.string());
    const fs::path out = scratch(scenario.stem().string() + ".h5");
    std::ostringstream stdout_text;
    std::ostringstream stderr_text;
    cli::RunOptions options{
        .scenario = scenario.string(), .output = out.string(), .seed = 7, .replicate = 2};
    REQUIRE(cli::run_command(options, stdout_text, stderr_text) == cli::kOk);
    CHECK(stderr_text.str().empty());
    CHECK_THAT(stdout_text.str(), Catch::Contains("seizure fraction"));
    REQUIRE(fs::exists(out));
    CHECK_FALSE(fs::exists(out.string() + ".tmp"));

    const io::StoredResult r = io::read_result(out.string());
    CHECK(r.text_attributes.at("format") == io::kFormatName);
    CHECK(r.number_attributes.at("format_version") == io::kFormatVersion);
    CHECK(r.number_attributes.at("seed") == 7);
    CHECK(r.number_attributes.at("replicate") == 2);
    CHECK(r.number_attributes.at("events_handled") > 0);
    // No shipped scenario has over 1000 cells: its network measures are all exact.
    CHECK(r.text_attributes.at("network_measures_method") == "exact");
    CHECK(r.number_attributes.at("efficiency_error") == 0.0);
    std::ifstream scenario_file(scenario, std::ios::binary);
    std::stringstream scenario_text;
    scenario_text << scenario_file.rdbuf();
    CHECK(r.text_attributes.at("scenario_toml") == scenario_text.str());
    CHECK(r.text_attributes.at("created").size() == 20);
    // A scenario built on a base also stores the merged document it ran.
    CHECK(r.text_attributes.count("scenario_resolved_toml") ==
          (scenario_text.str().find("base = ") != std::string::npos ? 1u : 0u));

    REQUIRE(r.time.size() >= 2);
    CHECK(r.time.front() == 0.0);
    CHECK(r.time.back() == r.number_attributes.at("duration_days"));
    for (std::size_t i = 1; i < r.time.size(); ++i)
      REQUIRE(r.time[i] > r.time[i - 1]);
    const auto& produced = r.series_named("produced_kg").values;
    const auto& delivered = r.series_named("delivered_kg").values;
    const auto& seized = r.series_named("seized_kg").values;
    const auto& transit = r.series_named("in_transit_kg").values;
    for (std::size_t i = 0; i < r.time.size(); ++i)
      REQUIRE(produced[i] == delivered[i] + seized[i] + transit[i]);
    CHECK(produced.back() > 0);
    CHECK(delivered.back() > 0);
    CHECK(r.summary_value("delivered_kg") == delivered.back());
    CHECK(r.summary_value("seized_kg") == seized.back());
    CHECK(r.series_named("produced_kg").units == "kg");
    // Vessels on the high seas with a load are among the vessels not seized.
    const auto& at_sea = r.series_named("vessels_in_transit").values;
    const auto& fleet = r.series_named("vessels_active").values;
    for (std::size_t i = 0; i < r.time.size(); ++i)
      REQUIRE((at_sea[i] >= 0 && at_sea[i] <= fleet[i]));
    if (fleet.front() > 0) CHECK(*std::max_element(at_sea.begin(), at_sea.end()) > 0);
  }
}

TEST_CASE("the same seed and replicate give identical series, another replicate differs", "[e2e]") {
  const std::string scenario = std::string(INTERDICT_SOURCE_DIR) + "/scenarios/veracruz.toml";
  std::ostringstream ignore;
  const auto run = [&](const std::string& name, std::uint64_t replicate) {
    const fs::path out = scratch(name);
    REQUIRE(cli::run_command({.scenario = scenario,
                              .output = out.string(),
                              .seed = 3,
                              .replicate = replicate,
                              .quiet = true},
                             ignore, ignore) == cli::kOk);
    return io::read_result(out.string()).series_named("delivered_kg").values;
  };
  CHECK(run("a.h5", 0) == run("b.h5", 0));
  CHECK(run("c.h5", 1) != run("a.h5", 0));
}

TEST_CASE("network measures above the exact limit are sampled, their bounds in the file",
          "[e2e][sampled]") {
  const std::string scenario = std::string(INTERDICT_SOURCE_DIR) + "/scenarios/synthetic.toml";
  std::ostringstream ignore;
  const auto run = [&](const std::string& name, unsigned threads) {
    const fs::path out = scratch(name);
    REQUIRE(cli::run_command(
                {.scenario = scenario,
                 .output = out.string(),
                 .quiet = true,
                 .threads = threads,
                 .overrides = {"output.exact_measure_limit=100", "output.measure_error=0.1"}},
                ignore, ignore) == cli::kOk);
    return io::read_result(out.string());
  };
  const io::StoredResult one = run("sampled-1.h5", 1);
  CHECK(one.text_attributes.at("network_measures_method") == "exact and sampled");
  CHECK(one.number_attributes.at("network_measures_exact_limit") == 100);
  CHECK(one.number_attributes.at("network_measures_confidence") == 0.95);
  CHECK(one.number_attributes.at("network_measures_sampled") > 0);
  CHECK(one.number_attributes.at("network_measures_pairs") > 0);
  CHECK(one.number_attributes.at("efficiency_error") > 0.0);
  CHECK(one.number_attributes.at("efficiency_error") <= 0.1);
  CHECK(one.number_attributes.at("betweenness_centralisation_error") <= 0.1);
  const auto& efficiency = one.series_named("true_efficiency").values;
  CHECK(std::all_of(efficiency.begin(), efficiency.end(), [](double e) { return e > 0.0; }));
  const io::StoredResult two = run("sampled-2.h5", 2);
  for (const char* name :
       {"true_efficiency", "true_betweenness_centralisation", "known_efficiency", "delivered_kg"})
    CHECK(two.series_named(name).values == one.series_named(name).values);
}

TEST_CASE("bad input gives exit code 2 and one message naming the key", "[e2e]") {
  const fs::path bad = scratch("bad.toml");
  std::ofstream(bad) << "[simulation]\nduraton = 5\n";
  std::ostringstream out;
  std::ostringstream err;
  CHECK(cli::validate_command(bad.string(), {}, out, err) == cli::kBadInput);
  CHECK_THAT(err.str(),
             Catch::Equals("error: " + bad.string() +
                           ":2:1: simulation.duraton: unknown key (did you mean \"duration\"?)\n"));
  std::ostringstream err2;
  const fs::path result = scratch("never.h5");
  CHECK(cli::run_command({.scenario = bad.string(), .output = result.string()}, out, err2) ==
        cli::kBadInput);
  CHECK_FALSE(fs::exists(result));
  std::ostringstream err3;
  CHECK(cli::inspect_command(bad.string(), false, out, err3) == cli::kBadInput);
  CHECK_THAT(err3.str(), Catch::Contains("not an HDF5 file"));
}

TEST_CASE("an unwritable output is a runtime failure and leaves no file", "[e2e]") {
  std::ostringstream out;
  std::ostringstream err;
  const std::string scenario = std::string(INTERDICT_SOURCE_DIR) + "/scenarios/minimal.toml";
  CHECK(cli::run_command({.scenario = scenario, .output = "/proc/interdict/x.h5", .quiet = true},
                         out, err) == cli::kRuntimeFailure);
  CHECK_THAT(err.str(), Catch::Contains("failed"));
}

TEST_CASE("docs/output-format.md's metric tables are generated from the declarations",
          "[e2e][docs]") {
  std::ifstream in(std::string(INTERDICT_SOURCE_DIR) + "/docs/output-format.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  for (const std::string kind : {"series", "summary"}) {
    const std::string begin = "<!-- generated: " + kind + " -->\n";
    const auto from = doc.find(begin);
    REQUIRE(from != std::string::npos);
    const auto to = doc.find("<!-- end -->", from);
    REQUIRE(to != std::string::npos);
    INFO("regenerate with: interdict metrics --markdown");
    CHECK(doc.substr(from + begin.size(), to - from - begin.size()) == cli::metrics_markdown(kind));
  }
}

TEST_CASE("docs/scenario-reference.md is generated from the key table", "[e2e][docs]") {
  std::ifstream in(std::string(INTERDICT_SOURCE_DIR) + "/docs/scenario-reference.md");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == scenario::keys_markdown());
}
