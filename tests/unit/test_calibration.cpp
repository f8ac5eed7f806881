// Calibration: the file's checks, target statistics worked by hand, and the ABC-SMC arithmetic
// (priors, kernel, importance weights) against closed forms.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <numeric>

#include "ScratchDirectory.hpp"
#include "experiment/AbcSmc.hpp"
#include "experiment/Calibrate.hpp"
#include "scenario/Calibration.hpp"
#include "scenario/InputError.hpp"

using namespace interdict;
using scenario::CalibrationTarget;
using scenario::Statistic;

namespace {

const std::string kSource = INTERDICT_SOURCE_DIR;

/// A calibration file of `body` after a [calibration] table naming minimal.toml.
std::string write_calibration(const std::filesystem::path& dir, const std::string& body) {
  const auto path = dir / "cal.toml";
  std::ofstream(path) << "[calibration]\nscenario = \"" << kSource << "/scenarios/minimal.toml\"\n"
                      << body;
  return path.string();
}

const std::string kParameter = "[[parameters]]\nkey = \"sources[0].rate\"\nlow = 0.1\nhigh = 2.0\n";
const std::string kTarget =
    "[[targets]]\nmetric = \"shipments_produced\"\nstatistic = \"rate_per_month\"\n"
    "observed = 15\nsd = 1\n";

/// The InputError load_calibration throws for `body`.
scenario::InputError error_of(const std::string& body) {
  const auto dir = testing::fresh_directory("calibration-errors");
  try {
    scenario::load_calibration(write_calibration(dir, body));
  } catch (const scenario::InputError& e) {
    return e;
  }
  FAIL("no error for:\n" << body);
  throw;
}

io::RunRecord run_with(std::vector<double> time,
                       std::vector<std::pair<std::string, std::vector<double>>> series) {
  io::RunRecord run;
  run.status = "ok";
  run.time = std::move(time);
  for (auto& [name, values] : series) {
    run.series_metrics.push_back(MetricInfo{name, "", ""});
    run.series.push_back(std::move(values));
  }
  return run;
}

}  // namespace

TEST_CASE("a calibration file reads its scenario, parameters and targets") {
  const auto dir = testing::fresh_directory("calibration-read");
  const auto cal = scenario::load_calibration(write_calibration(dir, kParameter + kTarget));
  CHECK(cal.parameters.size() == 1);
  CHECK(cal.parameters[0].prior.low == 0.1);
  CHECK(cal.targets[0].end == 365);  // the run's duration
  CHECK(cal.particles == 100);
  // Output narrowed to the series the targets read.
  CHECK(cal.overrides.back() == "output.series=[\"shipments_produced\"]");
}

TEST_CASE("bad calibration files are refused with file, line and key") {
  struct Case {
    std::string body, key, words;
  };
  const std::vector<Case> cases = {
      {"[[parameters]]\nkey = \"sources[0].ratee\"\nlow = 0\nhigh = 1\n" + kTarget, "key",
       "not a numeric scenario key"},
      {"[[parameters]]\nkey = \"sources[0].rate\"\nlow = -1\nhigh = 1\n" + kTarget, "low",
       "valid range"},
      {"[[parameters]]\nkey = \"sources[0].rate\"\nlow = 2\nhigh = 1\n" + kTarget, "high",
       "above low"},
      {"[[parameters]]\nkey = \"sources[0].rate\"\nprior = \"normal\"\nmean = 1\n" + kTarget, "sd",
       "sd"},
      {"[[parameters]]\nkey = \"sources[0].rate\"\nprior = \"normal\"\nmean = 1\nsd = 1\n" +
           kTarget,
       "prior", "valid range"},
      {"[[parameters]]\nkey = \"sources[0].rate\"\nprior = \"log-uniform\"\nlow = 0\nhigh = 1\n" +
           kTarget,
       "low", "low > 0"},
      {"[[parameters]]\nkey = \"sources[7].rate\"\nlow = 0.1\nhigh = 1\n" + kTarget, "key",
       "sources"},
      {kParameter + "[[targets]]\nmetric = \"shipments_made\"\nobserved = 1\nsd = 1\n", "metric",
       "no time series"},
      {kParameter +
           "[[targets]]\nmetric = \"seized_kg\"\nstatistic = \"share\"\nobserved = 1\nsd = 1\n",
       "of", "needs `of`"},
      {kParameter + "[[targets]]\nmetric = \"seized_kg\"\nend = 400\nobserved = 1\nsd = 1\n", "end",
       "after the run"},
      {kParameter + "[[targets]]\nmetric = \"seized_kg\"\nobserved = 1\nsd = 0\n", "sd", ""},
      {kParameter + kTarget + "[calibration.x]\n", "", ""},  // a duplicate table: TOML error
  };
  for (const Case& c : cases) {
    INFO(c.body);
    const scenario::InputError e = error_of(c.body);
    CHECK(e.line() > 0);
    CHECK_THAT(e.file(), Catch::Contains("cal.toml"));
    if (!c.key.empty()) CHECK_THAT(e.key(), Catch::Contains(c.key));
    CHECK_THAT(e.message(), Catch::Contains(c.words));
  }
}

TEST_CASE("target statistics over a window, worked by hand") {
  // Samples at days 0..10; a cumulative series growing 2 a day after day 4.
  std::vector<double> time, cumulative, level;
  for (int d = 0; d <= 10; ++d) {
    time.push_back(d);
    cumulative.push_back(d <= 4 ? 0.0 : 2.0 * (d - 4));
    level.push_back(d);
  }
  std::vector<double> other(time.size());
  for (std::size_t i = 0; i < other.size(); ++i)
    other[i] = 3.0 * cumulative[i];  // three times as much
  const io::RunRecord run = run_with(time, {{"a", cumulative}, {"b", level}, {"c", other}});
  CalibrationTarget t;
  t.metric = "b";
  t.start = 2;
  t.end = 6.5;  // read at day 6
  t.statistic = Statistic::mean;
  CHECK(experiment::target_statistic(t, run) == Approx((2 + 3 + 4 + 5 + 6) / 5.0));
  t.statistic = Statistic::final_value;
  CHECK(experiment::target_statistic(t, run) == 6);
  t.metric = "a";
  t.statistic = Statistic::total;
  CHECK(experiment::target_statistic(t, run) == 4);  // 4 at day 6, 0 at day 2
  t.statistic = Statistic::rate_per_month;
  CHECK(experiment::target_statistic(t, run) == Approx(4.0 / 4.0 * 30.4375));
  t.statistic = Statistic::share;
  t.of = {"a", "c"};
  CHECK(experiment::target_statistic(t, run) == Approx(0.25));
  t.start = 0;
  t.end = 3;  // nothing moved: a share of nothing is undefined
  CHECK(std::isnan(experiment::target_statistic(t, run)));
  io::RunRecord failed = run;
  failed.status = "failed";
  t.statistic = Statistic::mean;
  CHECK(std::isnan(experiment::target_statistic(t, failed)));
}

TEST_CASE("priors: draws stay in their support, log-uniform is uniform in log") {
  using scenario::Prior;
  Prior uniform{Prior::Kind::uniform, 1.0, 3.0};
  Prior log_uniform{Prior::Kind::log_uniform, 0.01, 100.0};
  Prior normal{Prior::Kind::normal, 0.0, 1.0, 5.0, 1.0};  // truncated far from its mean
  const experiment::abc::Space space({uniform, log_uniform, normal});
  RandomEngine rng = RandomStreams(1, 0).stream("test");
  double below_one = 0, sum_normal = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const auto theta = space.draw(rng);
    REQUIRE(space.inside(space.to_internal(theta)));
    below_one += theta[1] < 1.0;
    sum_normal += theta[2];
  }
  CHECK(below_one / n == Approx(0.5).margin(0.02));  // log 1 is the middle of [log .01, log 100]
  // A normal(5, 1) truncated to [0, 1] piles up near 1: its mean is about 1 - 1/5.
  CHECK(sum_normal / n == Approx(0.8).margin(0.03));
  CHECK(space.log_density(space.to_internal({2.0, 1.0, 0.5})) == Approx(-0.5 * 4.5 * 4.5));
  CHECK(std::isinf(space.log_density(space.to_internal({4.0, 1.0, 0.5}))));
}

TEST_CASE("importance weights: prior over the kernel mixture, by hand for two particles") {
  using scenario::Prior;
  const experiment::abc::Space space({Prior{Prior::Kind::uniform, -10.0, 10.0}});
  // Previous particles at -1 and 1 with weights 0.25 and 0.75: weighted mean 0.5, variance
  // (0.25 * 2.25 + 0.75 * 0.25) / (1 - 0.625) = 2, kernel variance twice that: 4.
  const experiment::abc::Points previous = {{-1.0}, {1.0}};
  const std::vector<double> w = {0.25, 0.75};
  const experiment::abc::Kernel kernel(previous, w);
  CHECK(kernel.log_density({0.0}, {2.0}) == Approx(-0.5 * 4.0 / 4.0));
  const auto weights =
      experiment::abc::importance_weights(space, kernel, previous, w, {{0.0}, {3.0}});
  const auto mixture = [](double x) {
    return 0.25 * std::exp(-(x + 1) * (x + 1) / 8) + 0.75 * std::exp(-(x - 1) * (x - 1) / 8);
  };
  const double a = 1 / mixture(0.0), b = 1 / mixture(3.0);
  CHECK(weights[0] == Approx(a / (a + b)));
  CHECK(weights[1] == Approx(b / (a + b)));
  CHECK(experiment::abc::effective_sample_size({0.5, 0.5}) == Approx(2.0));
  CHECK(experiment::abc::quantile({4, 1, 3, 2, INFINITY}, 0.5) == Approx(2.5));
}

TEST_CASE("the kernel's steps have twice the population's covariance") {
  const experiment::abc::Points previous = {{0.0, 0.0}, {1.0, 2.0}, {2.0, 4.0}, {3.0, 0.0}};
  const std::vector<double> w(4, 0.25);
  const experiment::abc::Kernel kernel(previous, w);
  RandomEngine rng = RandomStreams(2, 0).stream("kernel");
  const int n = 40000;
  double sx = 0, sy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < n; ++i) {
    const auto step = kernel.perturb({0.0, 0.0}, rng);
    sx += step[0];
    sy += step[1];
    sxx += step[0] * step[0];
    syy += step[1] * step[1];
  }
  // Unbiased weighted variances: x 5/3, y 11/3; doubled.
  CHECK(sxx / n == Approx(2 * 5.0 / 3.0).epsilon(0.05));
  CHECK(syy / n == Approx(2 * 11.0 / 3.0).epsilon(0.05));
  CHECK(sx / n == Approx(0.0).margin(0.05));
}

TEST_CASE("a calibration of a study's variant takes the study's and the variant's set") {
  const auto dir = testing::fresh_directory("calibration-variant");
  std::ofstream(dir / "study.toml")
      << "[study]\nscenario = \"" << kSource << "/scenarios/minimal.toml\"\n"
      << "set = { \"simulation.duration\" = 200 }\n"
      << "[[variants]]\nname = \"a\"\n[[variants]]\nname = \"b\"\n"
      << "set = { \"patrols[0].detection_probability\" = 0.5 }\n";
  const auto path = dir / "cal.toml";
  std::ofstream(path) << "[calibration]\nstudy = \"study.toml\"\nvariant = \"b\"\n"
                      << kParameter << kTarget;
  const auto cal = scenario::load_calibration(path.string());
  CHECK(cal.overrides.front() == "simulation.duration=200");
  CHECK(cal.overrides[1] == "patrols[0].detection_probability=0.5");
  CHECK(cal.targets[0].end == 200);
  std::ofstream(path) << "[calibration]\nstudy = \"study.toml\"\nvariant = \"c\"\n"
                      << kParameter << kTarget;
  CHECK_THROWS_WITH(scenario::load_calibration(path.string()), Catch::Contains("no variant \"c\""));
  std::ofstream(path) << "[calibration]\nstudy = \"study.toml\"\nscenario = \"x.toml\"\n"
                      << kParameter << kTarget;
  CHECK_THROWS_WITH(scenario::load_calibration(path.string()), Catch::Contains("not both"));
}
