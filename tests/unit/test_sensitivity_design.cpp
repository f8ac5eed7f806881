// Sensitivity designs: the structure of Morris and Saltelli points, and its round trip through
// study files.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "ScratchDirectory.hpp"
#include "io/StudyStore.hpp"
#include "scenario/SensitivityDesign.hpp"

using namespace interdict;
using namespace interdict::scenario;

TEST_CASE("Morris trajectories move one factor a step of the grid at a time", "[design]") {
  const std::size_t k = 5, r = 7;
  const unsigned levels = 6;
  const double delta = levels / (2.0 * (levels - 1));
  const auto points = morris_points(k, r, levels, 3);
  REQUIRE(points.size() == r * (k + 1));
  for (std::size_t t = 0; t < r; ++t) {
    std::set<std::int64_t> moved;
    for (std::size_t s = 0; s <= k; ++s) {
      const UnitPoint& p = points[t * (k + 1) + s];
      CHECK(p.where.index == static_cast<std::int64_t>(t * (k + 1) + s));
      CHECK(p.where.block == static_cast<std::int64_t>(t));
      for (double u : p.u) {
        CHECK(u >= 0.0);
        CHECK(u <= 1.0);
        const double level = u * (levels - 1);
        CHECK(level == Approx(std::round(level)).margin(1e-12));  // on the grid
      }
      if (s == 0) {
        CHECK(p.where.role == "start");
        CHECK(p.where.factor == -1);
        continue;
      }
      CHECK(p.where.role == "step");
      const UnitPoint& before = points[t * (k + 1) + s - 1];
      for (std::size_t i = 0; i < k; ++i) {
        if (static_cast<std::int64_t>(i) == p.where.factor) {
          CHECK(std::abs(p.u[i] - before.u[i]) == Approx(delta));
        } else {
          CHECK(p.u[i] == before.u[i]);
        }
      }
      moved.insert(p.where.factor);
    }
    CHECK(moved.size() == k);  // every factor once per trajectory
  }
  CHECK(morris_points(k, r, levels, 3)[9].u == points[9].u);  // the seed decides
  CHECK(morris_points(k, r, levels, 4)[9].u != points[9].u);
}

TEST_CASE("Saltelli's AB_i is A with column i from B", "[design]") {
  const std::size_t k = 4, n = 16;
  const auto points = saltelli_points(k, n, 1);
  REQUIRE(points.size() == n * (k + 2));
  double sum = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const UnitPoint& a = points[j * (k + 2)];
    const UnitPoint& b = points[j * (k + 2) + 1];
    CHECK(a.where.role == "A");
    CHECK(b.where.role == "B");
    CHECK(a.where.block == static_cast<std::int64_t>(j));
    for (std::size_t i = 0; i < k; ++i) {
      const UnitPoint& ab = points[j * (k + 2) + 2 + i];
      CHECK(ab.where.role == "AB");
      CHECK(ab.where.factor == static_cast<std::int64_t>(i));
      for (std::size_t c = 0; c < k; ++c)
        CHECK(ab.u[c] == (c == i ? b.u[c] : a.u[c]));
      CHECK(a.u[i] >= 0.0);
      CHECK(a.u[i] < 1.0);
      sum += a.u[i];
    }
  }
  // A low-discrepancy sample: the mean of 64 coordinates is close to 1/2.
  CHECK(sum / (n * k) == Approx(0.5).margin(0.02));
  CHECK(saltelli_points(k, n, 2)[0].u != points[0].u);  // the seed shifts the sequence
}

TEST_CASE("factor values hit the ends of their ranges exactly", "[design]") {
  const Factor linear{"x", 0.1, 0.3, false};
  const Factor logarithmic{"y", 0.01, 1.0, true};
  CHECK(linear.value(0.0) == 0.1);
  CHECK(linear.value(1.0) == 0.3);
  CHECK(linear.value(0.5) == Approx(0.2));
  CHECK(logarithmic.value(0.0) == 0.01);
  CHECK(logarithmic.value(1.0) == 1.0);
  CHECK(logarithmic.value(0.5) == Approx(0.1));
}

TEST_CASE("a design and each run's place in it survive study files and merges", "[design]") {
  const auto dir = testing::fresh_directory("design");
  const io::StudyInfo study{"s", "[study]\n", {"routes[0].exposure"}, "{\"method\": \"sobol\"}"};
  std::vector<io::RunRecord> written(3);
  const char* roles[] = {"A", "B", "AB"};
  for (std::size_t i = 0; i < written.size(); ++i) {
    written[i].key = "run" + std::to_string(i);
    written[i].variant = "base";
    written[i].parameters = {{"routes[0].exposure", std::to_string(0.25 * static_cast<double>(i))}};
    written[i].status = "failed";
    written[i].design = DesignPoint{static_cast<std::int64_t>(i), 0, roles[i], i == 2 ? 0 : -1};
  }
  for (const bool keep : {false, true}) {
    const std::string path = (dir / (keep ? "merged.h5" : "runs.h5")).string();
    io::write_runs(path, study, written, keep);
    CHECK(io::read_study_info(path).design == study.design);
    const auto read = io::read_runs(path);
    REQUIRE(read.size() == written.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
      CHECK(read[i].design.index == written[i].design.index);
      CHECK(read[i].design.block == 0);
      CHECK(read[i].design.role == written[i].design.role);
      CHECK(read[i].design.factor == written[i].design.factor);
      CHECK(read[i].summary_metrics.empty());  // design columns are not metrics
    }
  }
  std::filesystem::remove_all(dir);
}
