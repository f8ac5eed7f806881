// Calibration: the calibration file's keys, and reading and checking one against its scenario.
#include "scenario/Calibration.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "model/TraffickingModel.hpp"
#include "scenario/InputError.hpp"
#include "scenario/InputFile.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioReader.hpp"
#include "scenario/Study.hpp"

namespace interdict::scenario {

namespace {

using enum KeyType;
constexpr double kInf = std::numeric_limits<double>::infinity();

// clang-format off
constexpr std::array kCalibrationKeys{
  KeySpec{"calibration", table, "", "", true, -kInf, kInf, false, "", "What is calibrated and how (approximate Bayesian computation by sequential Monte Carlo, docs/calibration.md)."},
  KeySpec{"calibration.name", string, "", "", false, -kInf, kInf, false, "", "Short name; defaults to the file name without extension."},
  KeySpec{"calibration.description", string, "", "\"\"", false, -kInf, kInf, false, "", "Free text: what is fitted to what, and the sources of the observed values."},
  KeySpec{"calibration.scenario", string, "", "", false, -kInf, kInf, false, "", "Path of the scenario calibrated, relative to the calibration file (give this or `study`)."},
  KeySpec{"calibration.study", string, "", "", false, -kInf, kInf, false, "", "Path of a study file whose variant is calibrated: its scenario, with the study's and the variant's `set`."},
  KeySpec{"calibration.variant", string, "", "", false, -kInf, kInf, false, "", "With `study`: the variant calibrated (default: the study's first)."},
  KeySpec{"calibration.set", any_table, "", "{}", false, -kInf, kInf, false, "", "Scenario keys fixed in every run, as a study's set: quoted key paths and TOML values."},
  KeySpec{"calibration.particles", integer, "", "100", false, 2.0, 1e5, false, "", "Particles of each generation: draws kept to represent the posterior."},
  KeySpec{"calibration.replicates", integer, "", "2", false, 1.0, 1e3, false, "", "Runs of each particle, with independent random numbers; its statistics are their means."},
  KeySpec{"calibration.generations", integer, "", "5", false, 1.0, 100.0, false, "", "Most generations run: the first draws from the priors, each later one keeps the particles closer to the observations than a tolerance that shrinks."},
  KeySpec{"calibration.quantile", number, "", "0.5", false, 0.0, 1.0, true, "", "Each generation's tolerance is this quantile of the previous generation's distances (Beaumont et al. 2009; Del Moral et al. 2012)."},
  KeySpec{"calibration.min_acceptance", number, "", "0.02", false, 0.0, 1.0, false, "", "Stop after a generation that accepted fewer than this share of the particles it simulated (further generations would cost more than they tighten)."},
  KeySpec{"calibration.tolerance", number, "", "0", false, 0.0, kInf, false, "", "Stop after a generation whose tolerance is at or below this distance."},
  KeySpec{"calibration.max_runs", integer, "runs", "1000000", false, 1.0, 1e9, false, "", "Most runs over the whole calibration; a generation that would need more is not finished, and the last whole generation is the result."},
  KeySpec{"calibration.seed", integer, "", "1", false, 0.0, 9.2e18, false, "", "Seed of the draws and of the runs' random numbers."},
  KeySpec{"calibration.predictive", integer, "runs", "50", false, 0.0, 1e5, false, "", "Posterior-predictive runs after the last generation: particles drawn by weight and run again with new random numbers, kept as a study directory (DIR/predictive)."},
  KeySpec{"parameters", table_array, "", "", true, -kInf, kInf, false, "", "The free parameters: scenario keys with a prior each."},
  KeySpec{"parameters[].key", string, "", "", true, -kInf, kInf, false, "", "Scenario key path of a number (or integer, rounded), e.g. \"sources[0].rate\"."},
  KeySpec{"parameters[].prior", string, "", "\"uniform\"", false, -kInf, kInf, false, "uniform|log-uniform|normal", "uniform on [low, high]; log-uniform: uniform in log between low > 0 and high; normal(mean, sd), truncated to [low, high] where given."},
  KeySpec{"parameters[].low", number, "", "", false, -kInf, kInf, false, "", "Lower bound (uniform and log-uniform: required)."},
  KeySpec{"parameters[].high", number, "", "", false, -kInf, kInf, false, "", "Upper bound (uniform and log-uniform: required)."},
  KeySpec{"parameters[].mean", number, "", "", false, -kInf, kInf, false, "", "normal: mean."},
  KeySpec{"parameters[].sd", number, "", "", false, 0.0, kInf, true, "", "normal: standard deviation."},
  KeySpec{"targets", table_array, "", "", true, -kInf, kInf, false, "", "The observations: a statistic of a time series over a window, with its observed value and uncertainty. The distance of a particle is sqrt(sum(((statistic - observed) / sd)^2)) over targets, statistics averaged over replicates."},
  KeySpec{"targets[].name", string, "", "", false, -kInf, kInf, false, "", "Label in output and plots (default: statistic and metric)."},
  KeySpec{"targets[].metric", string, "", "", true, -kInf, kInf, false, "", "A time series (docs/output-format.md)."},
  KeySpec{"targets[].statistic", string, "", "\"mean\"", false, -kInf, kInf, false, "mean|total|final|rate_per_month|share", "mean: of the samples in the window; total: change of a cumulative series over the window; final: last sample in it; rate_per_month: total per 30.4375 days; share: total of the metric / total of the metrics in `of`."},
  KeySpec{"targets[].of", string_array, "", "[]", false, -kInf, kInf, false, "", "share: metrics whose totals add up to the whole, e.g. [\"seized_kg\", \"delivered_kg\"]."},
  KeySpec{"targets[].start", number, "days", "0", false, 0.0, kInf, false, "", "Start of the window (read at the last sample at or before it)."},
  KeySpec{"targets[].end", number, "days", "", false, 0.0, kInf, false, "", "End of the window (default: the run's duration)."},
  KeySpec{"targets[].observed", number, "", "", true, -kInf, kInf, false, "", "The observed value."},
  KeySpec{"targets[].sd", number, "", "", true, 0.0, kInf, true, "", "Its uncertainty, in the metric's unit: the scale of this target in the distance."},
};
// clang-format on

/// Reads a prior, checking its fields fit together.
Prior read_prior(const ScenarioReader& r, const toml::table& t, const std::string& where) {
  Prior p;
  const std::string kind = r.text(t, where, "prior");
  p.kind = kind == "normal"        ? Prior::Kind::normal
           : kind == "log-uniform" ? Prior::Kind::log_uniform
                                   : Prior::Kind::uniform;
  const auto low = r.optional_number(t, where, "low");
  const auto high = r.optional_number(t, where, "high");
  if (low) p.low = *low;
  if (high) p.high = *high;
  if (p.kind == Prior::Kind::normal) {
    const auto mean = r.optional_number(t, where, "mean");
    const auto sd = r.optional_number(t, where, "sd");
    if (!mean) throw r.error(t, where, "mean", "a normal prior needs its mean");
    if (!sd) throw r.error(t, where, "sd", "a normal prior needs its sd");
    p.mean = *mean;
    p.sd = *sd;
  } else {
    if (!low) throw r.error(t, where, "low", "a " + kind + " prior needs low and high");
    if (!high) throw r.error(t, where, "high", "a " + kind + " prior needs low and high");
    if (p.kind == Prior::Kind::log_uniform && p.low <= 0)
      throw r.error(t, where, "low", "a log-uniform prior needs low > 0");
    for (const char* unused : {"mean", "sd"})
      if (t.contains(unused))
        throw r.error(t, where, unused, std::string(unused) + " is for normal priors only");
  }
  if (low && high && !(p.low < p.high)) throw r.error(t, where, "high", "high must be above low");
  if (p.kind == Prior::Kind::normal) {
    // Enough of the normal inside its bounds that drawing from it ends.
    const double mass = 0.5 * (std::erfc(-(p.high - p.mean) / (p.sd * std::sqrt(2.0))) -
                               std::erfc(-(p.low - p.mean) / (p.sd * std::sqrt(2.0))));
    if (!(mass > 1e-6))
      throw r.error(t, where, low ? "low" : "high",
                    "the bounds leave almost none of the normal prior (mean ± sd outside them)");
  }
  return p;
}

/// A few values the prior allows: its bounds where finite, and its middle.
std::vector<double> probe_values(const Prior& p) {
  std::vector<double> values;
  if (std::isfinite(p.low)) values.push_back(p.low);
  if (std::isfinite(p.high)) values.push_back(p.high);
  double middle = p.kind == Prior::Kind::normal        ? std::clamp(p.mean, p.low, p.high)
                  : p.kind == Prior::Kind::log_uniform ? std::sqrt(p.low * p.high)
                                                       : 0.5 * (p.low + p.high);
  values.push_back(middle);
  return values;
}

/// Reads [[parameters]], checking each key is a number key the prior keeps within its range.
std::vector<CalibrationParameter> read_parameters(const ScenarioReader& r) {
  std::vector<CalibrationParameter> out;
  const toml::array& list = *r.table_array(r.root(), "parameters");
  if (list.empty()) throw r.error(r.root(), "", "parameters", "name at least one free parameter");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const toml::table& t = *list[i].as_table();
    const std::string where = "parameters[" + std::to_string(i) + "]";
    CalibrationParameter p;
    p.key = r.text(t, where, "key");
    if (!seen.insert(p.key).second)
      throw r.error(t, where, "key", "\"" + p.key + "\" is calibrated twice");
    const KeySpec* spec = find_key(key_pattern(p.key));
    if (spec == nullptr || (spec->type != KeyType::number && spec->type != KeyType::integer))
      throw r.error(t, where, "key",
                    "\"" + p.key + "\" is not a numeric scenario key (interdict keys lists them)");
    p.integer = spec->type == KeyType::integer;
    p.prior = read_prior(r, t, where);
    if (p.prior.low < spec->min || p.prior.high > spec->max)
      throw r.error(t, where, std::isfinite(p.prior.low) ? "low" : "prior",
                    "the prior must stay within the key's valid range " + describe_range(*spec) +
                        ": bound it with low and high");
    out.push_back(std::move(p));
  }
  return out;
}

Statistic statistic_of(const std::string& name) {
  if (name == "total") return Statistic::total;
  if (name == "final") return Statistic::final_value;
  if (name == "rate_per_month") return Statistic::rate_per_month;
  if (name == "share") return Statistic::share;
  return Statistic::mean;
}

/// Reads [[targets]]; the window is checked once the scenario's duration is known.
std::vector<CalibrationTarget> read_targets(const ScenarioReader& r, double duration) {
  std::set<std::string> series;
  for (const MetricInfo& m : model::TraffickingModel::series())
    series.insert(m.name);
  const auto check_metric = [&](const toml::table& t, const std::string& where,
                                const std::string& key, const std::string& name) {
    if (!series.count(name))
      throw r.error(t, where, key,
                    "no time series \"" + name + "\" (interdict metrics lists them)" +
                        did_you_mean(name, series));
  };
  std::vector<CalibrationTarget> out;
  const toml::array& list = *r.table_array(r.root(), "targets");
  if (list.empty()) throw r.error(r.root(), "", "targets", "name at least one target");
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const toml::table& t = *list[i].as_table();
    const std::string where = "targets[" + std::to_string(i) + "]";
    CalibrationTarget target;
    target.metric = r.text(t, where, "metric");
    check_metric(t, where, "metric", target.metric);
    const std::string statistic = r.text(t, where, "statistic");
    target.statistic = statistic_of(statistic);
    target.of = r.strings(t, where, "of");
    for (const std::string& m : target.of)
      check_metric(t, where, "of", m);
    if ((target.statistic == Statistic::share) != !target.of.empty())
      throw r.error(t, where, "of",
                    target.of.empty() ? "a share needs `of`: the metrics making up the whole"
                                      : "`of` is for the share statistic only");
    target.name = r.optional_text(t, where, "name").value_or(statistic + " " + target.metric);
    if (!names.insert(target.name).second)
      throw r.error(t, where, "name", "two targets are named \"" + target.name + "\"");
    target.start = r.number(t, where, "start");
    target.end = r.optional_number(t, where, "end").value_or(duration);
    if (target.end > duration)
      throw r.error(t, where, "end",
                    "the window ends after the run (duration " + shortest(duration) + " days)");
    if (!(target.start < target.end))
      throw r.error(t, where, "start", "the window must start before it ends");
    target.observed = r.number(t, where, "observed");
    target.sd = r.number(t, where, "sd");
    out.push_back(std::move(target));
  }
  return out;
}

/// The scenario calibrated and the overrides of its study variant, if it names one.
void read_base(const ScenarioReader& r, const toml::table& c, Calibration& cal) {
  const auto scenario = r.optional_text(c, "calibration", "scenario");
  const auto study_path = r.optional_text(c, "calibration", "study");
  if (scenario.has_value() == study_path.has_value())
    throw r.error(c, "calibration", scenario ? "study" : "scenario",
                  "name either a scenario or a study (with its variant), not both");
  if (!study_path && c.contains("variant"))
    throw r.error(c, "calibration", "variant", "a variant needs a study");
  const auto folder = std::filesystem::path(cal.path).parent_path();
  if (scenario) {
    cal.scenario_path = (folder / *scenario).lexically_normal().string();
    try {
      cal.scenario_text = read_input_file(cal.scenario_path);
    } catch (const InputError&) {
      throw r.error(c, "calibration", "scenario", "no scenario file at " + cal.scenario_path);
    }
    return;
  }
  const std::string path = (folder / *study_path).lexically_normal().string();
  const Study study = load_study(path);  // its own errors name the study file
  const std::string variant =
      r.optional_text(c, "calibration", "variant").value_or(study.variants.front());
  const auto run = std::find_if(study.runs.begin(), study.runs.end(),
                                [&](const StudyRun& s) { return s.variant == variant; });
  if (run == study.runs.end())
    throw r.error(
        c, "calibration", "variant",
        "the study has no variant \"" + variant + "\"" + did_you_mean(variant, study.variants));
  if (!run->parameters.empty())
    throw r.error(c, "calibration", "study",
                  "the study varies parameters (grid, lockstep or sample): calibrate a study "
                  "whose variants only set keys");
  cal.scenario_path = run->scenario_path;
  cal.scenario_text = read_input_file(run->scenario_path);
  cal.overrides = run->overrides;
}

/// Output narrowed to the series the targets read (an output setting never changes a run).
std::string series_override(const std::vector<CalibrationTarget>& targets) {
  std::vector<std::string> names;
  for (const CalibrationTarget& t : targets) {
    names.push_back(t.metric);
    names.insert(names.end(), t.of.begin(), t.of.end());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string text = "output.series=[";
  for (std::size_t i = 0; i < names.size(); ++i)
    text += (i ? ", \"" : "\"") + names[i] + "\"";
  return text + "]";
}

/// Builds the scenario with every free parameter at each of its probe values, so that any
/// value the priors allow is known to make a valid run before the first one starts.
void check_parameters(const ScenarioReader& r, const Calibration& cal) {
  const toml::array& list = *r.table_array(r.root(), "parameters");
  for (std::size_t i = 0; i < cal.parameters.size(); ++i) {
    const CalibrationParameter& p = cal.parameters[i];
    for (const double value : probe_values(p.prior)) {
      std::vector<std::string> overrides = cal.overrides;
      overrides.push_back(p.key + "=" +
                          (p.integer ? std::to_string(std::llround(value)) : shortest(value)));
      try {
        parse_scenario(cal.scenario_text, cal.scenario_path, overrides);
      } catch (const InputError& e) {
        throw r.error(*list[i].as_table(), "parameters[" + std::to_string(i) + "]", "key",
                      "at " + shortest(value) + ": " + e.message() +
                          (e.key().empty() ? std::string() : " (scenario key " + e.key() + ")"));
      }
    }
  }
}

}  // namespace

std::span<const KeySpec> calibration_keys() {
  return kCalibrationKeys;
}

std::string statistic_name(Statistic statistic) {
  switch (statistic) {
    case Statistic::mean:
      return "mean";
    case Statistic::total:
      return "total";
    case Statistic::final_value:
      return "final";
    case Statistic::rate_per_month:
      return "rate_per_month";
    case Statistic::share:
      return "share";
  }
  return "mean";
}

Calibration load_calibration(const std::string& path) {
  Calibration cal;
  cal.path = path;
  cal.text = read_input_file(path);
  const toml::table root = parse_toml(cal.text, path);
  const ScenarioReader r(path, root, calibration_keys());
  r.check();
  const toml::table& c = r.table(root, "calibration");
  cal.name = r.optional_text(c, "calibration", "name")
                 .value_or(std::filesystem::path(path).stem().string());
  cal.description = r.text(c, "calibration", "description");
  read_base(r, c, cal);
  for (auto&& [k, node] : r.table(c, "set"))
    cal.overrides.push_back(std::string(k.str()) + "=" + value_text(node));
  Scenario base;
  try {
    base = parse_scenario(cal.scenario_text, cal.scenario_path, cal.overrides);
  } catch (const InputError& e) {
    throw r.error(c, "calibration", "set", std::string("the scenario with this set: ") + e.what());
  }
  cal.particles = static_cast<std::uint64_t>(r.integer(c, "calibration", "particles"));
  cal.replicates = static_cast<std::uint64_t>(r.integer(c, "calibration", "replicates"));
  cal.generations = static_cast<std::uint64_t>(r.integer(c, "calibration", "generations"));
  cal.seed = static_cast<std::uint64_t>(r.integer(c, "calibration", "seed"));
  cal.quantile = r.number(c, "calibration", "quantile");
  cal.min_acceptance = r.number(c, "calibration", "min_acceptance");
  cal.tolerance = r.number(c, "calibration", "tolerance");
  cal.max_runs = static_cast<std::uint64_t>(r.integer(c, "calibration", "max_runs"));
  cal.predictive = static_cast<std::uint64_t>(r.integer(c, "calibration", "predictive"));
  if (cal.max_runs < cal.particles * cal.replicates)
    throw r.error(c, "calibration", "max_runs",
                  "fewer runs than one generation needs (particles x replicates = " +
                      std::to_string(cal.particles * cal.replicates) + ")");
  cal.parameters = read_parameters(r);
  cal.targets = read_targets(r, base.model.duration_days);
  cal.overrides.push_back(series_override(cal.targets));
  check_parameters(r, cal);
  return cal;
}

}  // namespace interdict::scenario
