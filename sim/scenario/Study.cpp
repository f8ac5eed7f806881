// Study: parsing, design expansion (grid, lock-step, Latin hypercube, Morris, Sobol), seeds and
// run keys.
#include "scenario/Study.hpp"

#include <algorithm>
#include <boost/random/uniform_01.hpp>
#include <charconv>
#include <filesystem>
#include <iomanip>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "core/Digest.hpp"
#include "core/RandomStreams.hpp"
#include "core/Version.hpp"
#include "scenario/InputError.hpp"
#include "scenario/InputFile.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioKeys.hpp"
#include "scenario/ScenarioReader.hpp"
#include "scenario/SensitivityDesign.hpp"

namespace interdict::scenario {

namespace {

using Assignment = std::pair<std::string, std::string>;
using Point = std::vector<Assignment>;

/// Where each override came from in the study file, for error messages.
struct Origin {
  const toml::node* node;
  std::string study_key;
};

/// Refuses a study that plans more than kMaxStudyRuns runs, counted from the document before
/// its design is expanded (a grid of a few long lists multiplies out of memory).
void check_planned_runs(const ScenarioReader& r, std::size_t variants) {
  const toml::table& root = r.root();
  double runs = static_cast<double>(std::max<std::size_t>(variants, 1)) *
                static_cast<double>(r.integer(r.table(root, "study"), "study", "replicates"));
  for (auto&& [k, node] : r.table(root, "grid"))
    if (const toml::array* values = node.as_array()) runs *= static_cast<double>(values->size());
  for (auto&& [k, node] : r.table(root, "lockstep")) {
    if (const toml::array* values = node.as_array())
      runs *= static_cast<double>(std::max<std::size_t>(values->size(), 1));
    break;  // lock-step lists have one length
  }
  const toml::table& sample = r.table(root, "sample");
  if (!r.table(sample, "ranges").empty())
    runs *= static_cast<double>(r.integer(sample, "sample", "points"));
  const auto factors = [&](const toml::table& t) {
    return static_cast<double>(r.table(t, "ranges").size());
  };
  // The error points at a sensitivity design's size, where there is one: that is what to cut.
  const toml::table* blame = &root;
  std::string blame_path, blame_key = "study";
  const toml::table& morris = r.table(root, "morris");
  if (!morris.empty()) {
    runs *=
        static_cast<double>(r.integer(morris, "morris", "trajectories")) * (factors(morris) + 1);
    blame = &morris, blame_path = "morris", blame_key = "trajectories";
  }
  const toml::table& sobol = r.table(root, "sobol");
  if (!sobol.empty()) {
    runs *= static_cast<double>(r.integer(sobol, "sobol", "base_points")) * (factors(sobol) + 2);
    blame = &sobol, blame_path = "sobol", blame_key = "base_points";
  }
  if (runs <= kMaxStudyRuns) return;
  std::ostringstream message;
  message << "the study plans about " << std::setprecision(3) << runs
          << " runs (variants x grid x lock-step x sample or design points x replicates), more "
             "than the "
          << kMaxStudyRuns << " a study may have";
  throw r.error(*blame, blame_path, blame_key, message.str());
}

}  // namespace

std::string run_key(const std::string& variant,
                    const std::vector<std::pair<std::string, std::string>>& parameters,
                    std::uint64_t replicate, std::int64_t design_point) {
  std::vector<std::pair<std::string, std::string>> sorted(parameters);
  std::sort(sorted.begin(), sorted.end());
  std::string canonical = "variant=" + variant + "\n";
  for (const auto& [k, v] : sorted)
    canonical += k + "=" + v + "\n";
  if (design_point >= 0) canonical += "design_point=" + std::to_string(design_point) + "\n";
  canonical += "replicate=" + std::to_string(replicate);
  std::uint64_t h = mix64(hash_name(canonical));
  std::ostringstream out;
  out << std::hex << std::setw(16) << std::setfill('0') << h;
  return out.str();
}

void add_replicates(Study& study, const StudyRun& point_run, std::uint64_t seed) {
  for (std::uint64_t rep = 0; rep < study.replicates; ++rep) {
    StudyRun run = point_run;
    run.replicate = rep;
    run.key = run_key(run.variant, run.parameters, rep, run.design.index);
    run.seed = seed;
    run.identity = run_identity(*run.scenario, run.overrides, seed, rep);
    study.runs.push_back(std::move(run));
  }
}

std::string run_identity(const Scenario& scenario, const std::vector<std::string>& overrides,
                         std::uint64_t seed, std::uint64_t replicate) {
  std::string text = std::string("interdict ") + kVersion + " " + kGitCommit + "\nstreams " +
                     std::to_string(kStreamScheme) + "\nseed " + std::to_string(seed) +
                     "\nreplicate " + std::to_string(replicate) + "\n";
  for (const std::string& o : overrides)
    text += "set " + o + "\n";
  text += "scenario\n";
  text += scenario.resolved_text.empty() ? scenario.text : scenario.resolved_text;
  return text_digest(text);
}

namespace {

/// Everything a study file's design is read with: the reader, the document, the study being
/// filled, and where each override was written (for errors that point at the study file).
struct DesignReader {
  const ScenarioReader& r;
  const toml::table& root;
  Study& study;
  std::map<std::string, Origin>& origins;

  const toml::array& list_of(const toml::node& node, const std::string& key) const {
    const toml::array* array = node.as_array();
    if (array == nullptr || array->empty())
      throw r.error_at(node, key, "expected a non-empty list of values");
    return *array;
  }
};

/// Every point of `points` joined with every point of `with`.
std::vector<Point> combine(const std::vector<Point>& points, const std::vector<Point>& with) {
  std::vector<Point> next;
  for (const Point& p : points)
    for (const Point& w : with) {
      Point q = p;
      q.insert(q.end(), w.begin(), w.end());
      next.push_back(std::move(q));
    }
  return next;
}

/// A variant: its name, its overrides and, if it names one, its own scenario file.
struct Variant {
  std::string name;
  Point set;
  std::string scenario_path;  // empty: the study's scenario
  std::string scenario_text;
};

/// [[variants]] (one variant "base" without any).
std::vector<Variant> read_variants(const DesignReader& d) {
  const ScenarioReader& r = d.r;
  const toml::table& root = d.root;
  auto& origins = d.origins;
  std::vector<Variant> variants;
  if (const toml::array* list = r.table_array(root, "variants")) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::table& v = *(*list)[i].as_table();
      const std::string where = "variants[" + std::to_string(i) + "]";
      Variant variant;
      variant.name = r.text(v, where, "name");
      if (!names.insert(variant.name).second)
        throw r.error(v, where, "name", "duplicate variant name \"" + variant.name + "\"");
      if (const auto file = r.optional_text(v, where, "scenario")) {
        variant.scenario_path =
            (std::filesystem::path(d.study.path).parent_path() / *file).lexically_normal().string();
        try {
          variant.scenario_text = read_input_file(variant.scenario_path);
        } catch (const InputError&) {
          throw r.error(v, where, "scenario", "no scenario file at " + variant.scenario_path);
        }
      }
      for (auto&& [k, node] : r.table(v, "set")) {
        variant.set.emplace_back(std::string(k.str()), value_text(node));
        origins.emplace(std::string(k.str()),
                        Origin{&node, where + ".set.\"" + std::string(k.str()) + "\""});
      }
      variants.push_back(std::move(variant));
    }
  }
  if (variants.empty()) variants.push_back(Variant{"base", {}, {}, {}});
  return variants;
}

/// [study] set: overrides of every run, applied before each variant's own (a variant's origin
/// wins when both set a key: its value is the one used).
Point read_everywhere(const DesignReader& d, const toml::table& s) {
  const ScenarioReader& r = d.r;
  auto& origins = d.origins;
  Point everywhere;
  for (auto&& [k, node] : r.table(s, "set")) {
    everywhere.emplace_back(std::string(k.str()), value_text(node));
    origins.emplace(std::string(k.str()),
                    Origin{&node, "study.set.\"" + std::string(k.str()) + "\""});
  }
  return everywhere;
}

/// [grid]: the product of every listed value of every key.
std::vector<Point> grid_points(const DesignReader& d) {
  const ScenarioReader& r = d.r;
  auto& origins = d.origins;
  std::vector<Point> points{Point{}};
  for (auto&& [k, node] : r.table(d.root, "grid")) {
    const std::string key(k.str());
    const std::string where = "grid.\"" + key + "\"";
    const toml::array& values = d.list_of(node, where);
    d.study.parameter_names.push_back(key);
    std::vector<Point> next;
    for (const Point& p : points)
      for (const toml::node& v : values) {
        Point q = p;
        q.emplace_back(key, value_text(v));
        origins.emplace(key, Origin{&v, where});
        next.push_back(std::move(q));
      }
    points = std::move(next);
  }
  return points;
}

/// [lockstep]: lists of equal length, varied together (empty if there is none).
std::vector<Point> lockstep_points(const DesignReader& d) {
  const ScenarioReader& r = d.r;
  auto& origins = d.origins;
  std::size_t lockstep_length = 0;
  std::vector<Point> zipped;
  for (auto&& [k, node] : r.table(d.root, "lockstep")) {
    const std::string key(k.str());
    const std::string where = "lockstep.\"" + key + "\"";
    const toml::array& values = d.list_of(node, where);
    if (lockstep_length == 0) {
      lockstep_length = values.size();
      zipped.assign(lockstep_length, Point{});
    } else if (values.size() != lockstep_length) {
      throw r.error_at(
          node, where,
          "lock-step lists must have the same length (" + std::to_string(lockstep_length) + ")");
    }
    d.study.parameter_names.push_back(key);
    for (std::size_t i = 0; i < values.size(); ++i) {
      zipped[i].emplace_back(key, value_text(values[i]));
      origins.emplace(key, Origin{&values[i], where});
    }
  }
  return zipped;
}

/// [sample]: a Latin hypercube over the ranges (empty if there are none).
std::vector<Point> latin_hypercube(const DesignReader& d) {
  const ScenarioReader& r = d.r;
  auto& origins = d.origins;
  const toml::table& sample = r.table(d.root, "sample");
  if (!r.table(sample, "ranges").empty()) {
    const auto n = static_cast<std::size_t>(r.integer(sample, "sample", "points"));
    const auto sample_seed = static_cast<std::uint64_t>(r.integer(sample, "sample", "seed"));
    std::vector<Point> design(n);
    for (auto&& [k, node] : r.table(sample, "ranges")) {
      const std::string key(k.str());
      const std::string where = "sample.ranges.\"" + key + "\"";
      const toml::array* range = node.as_array();
      if (range == nullptr || range->size() != 2 || !(*range)[0].is_number() ||
          !(*range)[1].is_number())
        throw r.error_at(node, where, "expected [low, high]");
      const double lo = (*range)[0].value<double>().value_or(0.0);
      const double hi = (*range)[1].value<double>().value_or(0.0);
      if (!(lo <= hi)) throw r.error_at(node, where, "low must not exceed high");
      d.study.parameter_names.push_back(key);
      origins.emplace(key, Origin{&node, where});
      // One value in each of n equal strata, strata in random order (McKay et al. 1979).
      RandomEngine rng = RandomStreams(sample_seed, 0).stream("latin-hypercube/" + key);
      std::vector<std::size_t> strata(n);
      std::iota(strata.begin(), strata.end(), 0);
      for (std::size_t i = n; i > 1; --i)
        std::swap(strata[i - 1],
                  strata[static_cast<std::size_t>(boost::random::uniform_01<double>()(rng) *
                                                  static_cast<double>(i))]);
      for (std::size_t i = 0; i < n; ++i) {
        const double u =
            (static_cast<double>(strata[i]) + boost::random::uniform_01<double>()(rng)) /
            static_cast<double>(n);
        design[i].emplace_back(key, shortest(lo + u * (hi - lo)));
      }
    }
    return design;
  }
  return {};
}

/// The factor `key` of a design's ranges: [low, high] or [low, high, "log"], low below high, both
/// inside the valid range of a number key.
Factor read_factor(const DesignReader& d, const std::string& key, const toml::node& node,
                   const std::string& where) {
  const ScenarioReader& r = d.r;
  const toml::array* range = node.as_array();
  if (range == nullptr || range->size() < 2 || range->size() > 3 || !(*range)[0].is_number() ||
      !(*range)[1].is_number() || (range->size() == 3 && !(*range)[2].is_string()))
    throw r.error_at(node, where, "expected [low, high] or [low, high, \"log\"]");
  Factor f{key, (*range)[0].value<double>().value_or(0.0),
           (*range)[1].value<double>().value_or(0.0), false};
  if (range->size() == 3) {
    const std::string scale = (*range)[2].value<std::string>().value_or("");
    if (scale != "log" && scale != "linear")
      throw r.error_at(node, where, "scale \"" + scale + "\": expected \"log\" or \"linear\"");
    f.log = scale == "log";
  }
  if (!(f.low < f.high)) throw r.error_at(node, where, "low must be below high");
  const KeySpec* spec = find_key(key_pattern(key));
  if (spec == nullptr) throw r.error_at(node, where, "not a scenario key");
  if (spec->type != KeyType::number)
    throw r.error_at(node, where,
                     "a design varies number keys; this one is of type " +
                         std::string(type_name(spec->type)) + " (use [grid] for it)");
  const double least = spec->least_positive > 0.0 ? spec->least_positive : spec->min;
  const bool below = spec->min_exclusive ? f.low <= spec->min : f.low < least;
  if (below || f.high > spec->max)
    throw r.error_at(node, where,
                     "[" + shortest(f.low) + ", " + shortest(f.high) +
                         "] is not inside the key's valid range " + describe_range(*spec));
  if (f.log && f.low <= 0.0) throw r.error_at(node, where, "a log scale needs low above 0");
  return f;
}

/// The factors of the design table `name` ([morris] or [sobol]), in file order.
std::vector<Factor> read_factors(const DesignReader& d, const toml::table& design,
                                 const std::string& name) {
  const toml::table& ranges = d.r.table(design, "ranges");
  if (ranges.empty())
    throw d.r.error(design, name, "ranges", "a design needs at least one key in ranges");
  std::vector<Factor> factors;
  for (auto&& [k, node] : ranges) {
    const std::string key(k.str());
    const std::string where = name + ".ranges.\"" + key + "\"";
    factors.push_back(read_factor(d, key, node, where));
    d.study.parameter_names.push_back(key);
    d.origins.emplace(key, Origin{&node, where});
  }
  return factors;
}

/// A design's points in the unit cube, as values of its factors.
std::vector<std::pair<Point, DesignPoint>> design_values(const std::vector<Factor>& factors,
                                                         std::vector<UnitPoint> points) {
  std::vector<std::pair<Point, DesignPoint>> out;
  out.reserve(points.size());
  for (UnitPoint& p : points) {
    Point values;
    for (std::size_t i = 0; i < factors.size(); ++i)
      values.emplace_back(factors[i].key, shortest(factors[i].value(p.u[i])));
    out.emplace_back(std::move(values), std::move(p.where));
  }
  return out;
}

/// [morris] or [sobol]: the design's points with their places in it (none without either).
/// Either stands alone: not with the other, nor with [grid], [lockstep] or [sample].
std::vector<std::pair<Point, DesignPoint>> sensitivity_points(const DesignReader& d) {
  const ScenarioReader& r = d.r;
  const toml::table& morris = r.table(d.root, "morris");
  const toml::table& sobol = r.table(d.root, "sobol");
  if (morris.empty() && sobol.empty()) return {};
  const std::string name = morris.empty() ? "sobol" : "morris";
  const toml::table& design = morris.empty() ? sobol : morris;
  if ((!morris.empty() && !sobol.empty()) || !r.table(d.root, "grid").empty() ||
      !r.table(d.root, "lockstep").empty() || !r.table(r.table(d.root, "sample"), "ranges").empty())
    throw r.error(d.root, "", name,
                  "a [" + name +
                      "] design stands alone: remove [grid], [lockstep], [sample] "
                      "and the other design (variants may stay)");
  const std::vector<Factor> factors = read_factors(d, design, name);
  const auto seed = static_cast<std::uint64_t>(r.integer(design, name, "seed"));
  const double seed_number = static_cast<double>(seed);
  if (name == "sobol") {
    const auto n = static_cast<std::size_t>(r.integer(design, name, "base_points"));
    d.study.design = design_description(
        name, factors, {{"base_points", static_cast<double>(n)}, {"seed", seed_number}});
    return design_values(factors, saltelli_points(factors.size(), n, seed));
  }
  const auto trajectories = static_cast<std::size_t>(r.integer(design, name, "trajectories"));
  const auto levels = static_cast<unsigned>(r.integer(design, name, "levels"));
  if (levels % 2 != 0) throw r.error(design, name, "levels", "must be even");
  d.study.design = design_description(name, factors,
                                      {{"trajectories", static_cast<double>(trajectories)},
                                       {"levels", static_cast<double>(levels)},
                                       {"seed", seed_number}});
  return design_values(factors, morris_points(factors.size(), trajectories, levels, seed));
}

/// Builds each distinct (variant, point) once (which checks it), then expands replicates.
/// `designed`: each point's place in a sensitivity design (empty without one).
void expand_runs(const DesignReader& d, const std::vector<Variant>& variants,
                 const Point& everywhere, const std::vector<Point>& points,
                 const std::vector<DesignPoint>& designed) {
  const ScenarioReader& r = d.r;
  Study& study = d.study;
  const std::string& path = study.path;
  const auto& origins = d.origins;
  // Build each distinct (variant, point) once (which checks it), then expand replicates.
  for (const Variant& entry : variants) {
    const std::string& variant = entry.name;
    const Point& set = entry.set;
    const bool own = !entry.scenario_path.empty();
    const std::string& scenario_path = own ? entry.scenario_path : study.scenario_path;
    const std::string& scenario_text = own ? entry.scenario_text : study.scenario_text;
    if (scenario_path.empty())
      throw r.error_at_path("variants[" + std::to_string(study.variants.size()) + "]", "scenario",
                            "name a scenario for this variant, or one for the whole study "
                            "(study.scenario)");
    study.variants.push_back(variant);
    for (std::size_t p = 0; p < points.size(); ++p) {
      const Point& point = points[p];
      const DesignPoint design = designed.empty() ? DesignPoint{} : designed[p];
      std::vector<std::string> overrides;
      for (const auto& [k, v] : everywhere)
        overrides.push_back(k + "=" + v);
      for (const auto& [k, v] : set)
        overrides.push_back(k + "=" + v);
      for (const auto& [k, v] : point)
        overrides.push_back(k + "=" + v);
      std::shared_ptr<const Scenario> scenario;
      try {
        scenario = std::make_shared<const Scenario>(
            parse_scenario(scenario_text, scenario_path, overrides));
      } catch (const InputError& e) {
        // Point at the study entry the bad override came from.
        for (const auto& [key, where] : origins)
          if (e.file() == "--set " + key)
            throw r.error_at(*where.node, where.study_key,
                             e.message() + " (scenario key " + e.key() + ")");
        throw InputError(path, 0, 0, "", "variant \"" + variant + "\": " + e.what());
      }
      StudyRun run;
      run.variant = variant;
      run.parameters = point;
      run.design = design;
      run.overrides = std::move(overrides);
      run.scenario = std::move(scenario);
      run.scenario_path = scenario_path;
      // Common random numbers: replicate r has the same streams in every variant and point.
      add_replicates(study, run,
                     study.common_random_numbers
                         ? study.seed
                         : mix64(study.seed ^ hash_name(run_key(variant, point, 0, design.index))));
    }
  }
}

}  // namespace

Study load_study(const std::string& path) {
  Study study;
  study.path = path;
  study.text = read_input_file(path);
  const toml::table root = parse_toml(study.text, path);
  const ScenarioReader r(path, root, study_keys());
  r.check();
  const toml::table& s = r.table(root, "study");
  study.name =
      r.optional_text(s, "study", "name").value_or(std::filesystem::path(path).stem().string());
  study.description = r.text(s, "study", "description");
  if (const auto scenario = r.optional_text(s, "study", "scenario")) {
    study.scenario_path =
        (std::filesystem::path(path).parent_path() / *scenario).lexically_normal().string();
    try {
      study.scenario_text = read_input_file(study.scenario_path);
    } catch (const InputError&) {
      throw r.error(s, "study", "scenario", "no scenario file at " + study.scenario_path);
    }
  }
  study.replicates = static_cast<std::uint64_t>(r.integer(s, "study", "replicates"));
  study.seed = static_cast<std::uint64_t>(r.integer(s, "study", "seed"));
  study.common_random_numbers = r.text(s, "study", "random_numbers") == "common";

  std::map<std::string, Origin> origins;  // override key -> where it was written
  const DesignReader design{r, root, study, origins};
  const auto variants = read_variants(design);
  const Point everywhere = read_everywhere(design, s);
  check_planned_runs(r, variants.size());
  // Parameter points: grid (product) x lock-step (zipped) x Latin hypercube sample.
  std::vector<Point> points = grid_points(design);
  if (auto zipped = lockstep_points(design); !zipped.empty()) points = combine(points, zipped);
  if (auto sampled = latin_hypercube(design); !sampled.empty()) points = combine(points, sampled);
  std::vector<DesignPoint> designed;
  if (auto sensitivity = sensitivity_points(design); !sensitivity.empty()) {
    points.clear();
    for (auto& [values, where] : sensitivity) {
      points.push_back(std::move(values));
      designed.push_back(std::move(where));
    }
  }
  expand_runs(design, variants, everywhere, points, designed);
  std::set<std::string> keys;
  for (const StudyRun& run : study.runs)
    if (!keys.insert(run.key).second)
      throw InputError(path, 0, 0, "",
                       "two runs have the same parameters (variant \"" + run.variant +
                           "\"): make the variants or values differ");
  return study;
}

}  // namespace interdict::scenario
