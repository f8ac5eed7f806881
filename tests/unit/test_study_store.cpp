// StudyStore: both layouts (packed batches, notebook tables) give back exactly what was written.
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <limits>

#include "io/Hdf5Support.hpp"
#include "io/StudyStore.hpp"
#include "model/InterventionLog.hpp"
#include "unit/TableChecks.hpp"

using namespace interdict;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Runs of unequal length, one failed, parameters numeric and text, logs with and without
/// network measures.
std::vector<io::RunRecord> runs() {
  std::vector<io::RunRecord> out;
  for (int i = 0; i < 4; ++i) {
    io::RunRecord r;
    r.key = "run" + std::to_string(i);
    r.variant = i % 2 ? "takedown" : "no action";
    r.parameters = {{"routes.sea.exposure", i < 2 ? "0.5" : "2"},
                    {"interventions[0].strategy", i < 3 ? "\"degree\"" : "\"katz\""}};
    r.replicate = static_cast<std::uint64_t>(i / 2);
    r.seed = 18446744073709551557ull - static_cast<std::uint64_t>(i);
    r.status = "ok";
    r.summary_metrics = {{"delivered_kg", "kg", ""}, {"arrests", "1", ""}};
    r.summary = {1000.0 + i, 3.0 * i};
    const std::size_t length = i == 2 ? 5 : 9;  // run 2 ended early
    for (std::size_t t = 0; t < length; ++t)
      r.time.push_back(static_cast<double>(t) * 7.0);
    r.series_metrics = {{"delivered_kg", "kg", "cumulative kilograms delivered"},
                        {"known_nodes", "1", "cells the agencies know"}};
    r.series.assign(2, {});
    for (std::size_t t = 0; t < length; ++t) {
      r.series[0].push_back(10.0 * static_cast<double>(t) + i);
      r.series[1].push_back(t == 3 ? kNaN : static_cast<double>(i));
    }
    std::vector<model::InterventionRecord> fired;
    if (i % 2) {
      fired.push_back({14.0, "takedown", "dismantle", "relays: r1, r2", 4.0, 2.5e5});
      fired.back().network = {{"true_nodes_before", 30.0}, {"true_nodes_after", 28.0}};
      fired.push_back({21.0, "patrols", "patrol", "sea x2", 0.0, 0.0});
      fired.back().network = {{"true_nodes_before", 28.0}, {"true_nodes_after", 28.0}};
    }
    r.interventions = model::intervention_log(fired);
    out.push_back(r);
  }
  out[3].status = "failed";
  out[3].error = "scenario broke";
  out[3].summary_metrics.clear();
  out[3].summary.clear();
  out[3].time.clear();
  out[3].series_metrics.clear();
  out[3].series.clear();
  out[3].interventions = Table{};
  return out;
}

}  // namespace

TEST_CASE("study files give back every run exactly, in both layouts", "[store]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("interdict-store-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const io::StudyInfo study{"s", "[study]\n", {"routes.sea.exposure", "interventions[0].strategy"}};
  const std::vector<io::RunRecord> written = runs();
  for (const bool keep : {false, true}) {
    INFO((keep ? "tables" : "packed"));
    const std::string path = (dir / (keep ? "merged.h5" : "runs-run0.h5")).string();
    io::write_runs(path, study, written, keep);
    const std::vector<io::RunRecord> read = io::read_runs(path);
    REQUIRE(read.size() == written.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
      const io::RunRecord& a = written[i];
      const io::RunRecord& b = read[i];
      INFO(a.key);
      CHECK(b.key == a.key);
      CHECK(b.variant == a.variant);
      CHECK(b.replicate == a.replicate);
      CHECK(b.seed == a.seed);
      CHECK(b.status == a.status);
      CHECK(b.error == a.error);
      REQUIRE(b.parameters.size() == 2);
      CHECK(b.parameters[0].first == "routes.sea.exposure");
      CHECK(std::stod(b.parameters[0].second) == std::stod(a.parameters[0].second));
      CHECK(b.parameters[1] == a.parameters[1]);
      CHECK(b.summary == a.summary);
      REQUIRE(b.summary_metrics.size() == a.summary_metrics.size());
      for (std::size_t m = 0; m < a.summary_metrics.size(); ++m) {
        CHECK(b.summary_metrics[m].name == a.summary_metrics[m].name);
        CHECK(b.summary_metrics[m].unit == a.summary_metrics[m].unit);
      }
      CHECK(b.time == a.time);  // shorter runs lose their NaN padding again
      REQUIRE(b.series.size() == a.series.size());
      for (std::size_t m = 0; m < a.series.size(); ++m) {
        CHECK(testing::same_values(b.series[m], a.series[m]));
        CHECK(b.series_metrics[m].name == a.series_metrics[m].name);
        CHECK(b.series_metrics[m].unit == a.series_metrics[m].unit);
        CHECK(b.series_metrics[m].description == a.series_metrics[m].description);
      }
      // Each run's log, with its columns' order, units and descriptions (in both layouts).
      CHECK(testing::holds_columns(b.interventions, a.interventions));
    }
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a study file of a newer format version is refused, naming it", "[store]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("interdict-store-v-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "runs-new.h5").string();
  io::write_runs(path, io::StudyInfo{"s", "", {}}, {}, false);
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t a = H5Aopen(file, "format_version", H5P_DEFAULT);
    const int newer = io::kStudyFormatVersion + 1;
    H5Awrite(a, H5T_NATIVE_INT, &newer);
    H5Aclose(a);
    H5Fclose(file);
  }
  CHECK_THROWS_WITH(io::read_runs(path), Catch::Contains("newer than this interdict reads") &&
                                             Catch::Contains("runs-new.h5"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a damaged study file is an error naming what is wrong, not a crash", "[store]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("interdict-store-d-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "merged.h5").string();
  io::write_runs(path, io::StudyInfo{"s", "", {"routes.sea.exposure", "interventions[0].strategy"}},
                 runs(), true);
  {  // /runs/status replaced by a one-row column
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    REQUIRE(H5Ldelete(file, "/runs/status", H5P_DEFAULT) >= 0);
    const hid_t group = H5Gopen2(file, "runs", H5P_DEFAULT);
    io::write_strings(group, "status", {"ok"}, io::Layout{false});
    H5Gclose(group);
    H5Fclose(file);
  }
  CHECK_THROWS_WITH(io::read_runs(path), Catch::Contains("merged.h5: /runs/status has 1 rows"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("kept files compressed chunk by chunk on every core read back exactly", "[store]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("interdict-store-c-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // 1,100 runs of 3 samples, and 3 runs of 1,100 samples: several 1024-wide chunks, the last
  // ones partial, in each dimension.
  for (const auto& [n, t] : {std::pair<std::size_t, std::size_t>{1100, 3}, {3, 1100}}) {
    std::vector<io::RunRecord> written(n);
    for (std::size_t i = 0; i < n; ++i) {
      io::RunRecord& r = written[i];
      r.key = "r" + std::to_string(i);
      r.variant = "v";
      r.status = "ok";
      r.series_metrics = {{"x", "1", "a test series"}};
      r.series.assign(1, {});
      for (std::size_t k = 0; k < t; ++k) {
        r.time.push_back(static_cast<double>(k));
        r.series[0].push_back(static_cast<double>(i) * 1e4 + static_cast<double>(k) / 7.0);
      }
    }
    written[1].series[0][1] = std::numeric_limits<double>::infinity();
    const std::string path = (dir / "merged.h5").string();
    io::write_runs(path, io::StudyInfo{"s", "", {}}, written, true);
    const std::vector<io::RunRecord> read = io::read_runs(path);
    REQUIRE(read.size() == n);
    for (std::size_t i = 0; i < n; ++i)
      REQUIRE(read[i].series.at(0) == written[i].series[0]);
  }
  std::filesystem::remove_all(dir);
}
