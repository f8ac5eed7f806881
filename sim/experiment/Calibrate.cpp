// Calibrate: ABC-SMC generations, each a sequence of batches of particles run as studies.
#include "experiment/Calibrate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "core/Digest.hpp"
#include "core/RandomStreams.hpp"
#include "experiment/AbcSmc.hpp"
#include "io/CalibrationStore.hpp"
#include "scenario/InputError.hpp"
#include "scenario/InputFile.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/Study.hpp"

namespace interdict::experiment {

namespace fs = std::filesystem;
using abc::Point;
using abc::Points;
using scenario::Calibration;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kDaysPerMonth = 30.4375;
/// Most particles in one batch: each holds its built scenario while the batch runs, so memory
/// stays bounded however many particles a generation has.
constexpr std::size_t kMaxBatch = 4000;

/// The last sample at or before day `t` (the first sample if none is).
std::size_t sample_at(const std::vector<double>& time, double t) {
  const auto it = std::upper_bound(time.begin(), time.end(), t);
  return it == time.begin() ? 0 : static_cast<std::size_t>(it - time.begin()) - 1;
}

const std::vector<double>* series_of(const io::RunRecord& run, const std::string& metric) {
  for (std::size_t j = 0; j < run.series_metrics.size(); ++j)
    if (run.series_metrics[j].name == metric && j < run.series.size()) return &run.series[j];
  return nullptr;
}

/// Change of a cumulative series over [start, end].
double change(const io::RunRecord& run, const std::string& metric, double start, double end) {
  const std::vector<double>* v = series_of(run, metric);
  if (v == nullptr || v->empty()) return std::nan("");
  return (*v)[sample_at(run.time, end)] - (*v)[sample_at(run.time, start)];
}

}  // namespace

double target_statistic(const scenario::CalibrationTarget& target, const io::RunRecord& run) {
  using scenario::Statistic;
  const std::vector<double>* v = series_of(run, target.metric);
  if (run.status != "ok" || v == nullptr || v->empty() || run.time.size() != v->size())
    return std::nan("");
  const std::size_t first = sample_at(run.time, target.start);
  const std::size_t last = sample_at(run.time, target.end);
  const double total = (*v)[last] - (*v)[first];
  switch (target.statistic) {
    case Statistic::mean: {
      double sum = 0.0;
      std::size_t n = 0;
      for (std::size_t i = first; i <= last; ++i)
        if (run.time[i] >= target.start) {
          sum += (*v)[i];
          ++n;
        }
      return n ? sum / static_cast<double>(n) : (*v)[last];
    }
    case Statistic::total:
      return total;
    case Statistic::final_value:
      return (*v)[last];
    case Statistic::rate_per_month: {
      const double days = run.time[last] - run.time[first];
      return days > 0 ? total / days * kDaysPerMonth : std::nan("");
    }
    case Statistic::share: {
      double whole = 0.0;
      for (const std::string& m : target.of)
        whole += change(run, m, target.start, target.end);
      return whole > 0 ? total / whole : std::nan("");
    }
  }
  return std::nan("");
}

namespace {

/// A batch of particles evaluated: each particle's statistics (means over its replicates)
/// and its distance to the observations (infinite if a run failed or a statistic is undefined).
struct Evaluated {
  std::vector<std::vector<double>> statistics;
  std::vector<double> distance;
};

std::string parameter_text(const scenario::CalibrationParameter& p, double value) {
  return p.integer ? std::to_string(std::llround(value)) : scenario::shortest(value);
}

/// The study running `thetas` (one variant per particle, LABEL-pI) with the calibration's
/// replicates and independent random numbers.
scenario::Study batch_study(const Calibration& cal, const std::string& label,
                            const Points& thetas) {
  scenario::Study study;
  study.path = cal.path;
  study.name = cal.name + " " + label;
  study.text = cal.text + "\n# interdict calibrate: " + label + "\n";
  study.scenario_path = cal.scenario_path;
  study.scenario_text = cal.scenario_text;
  study.replicates = cal.replicates;
  study.seed = cal.seed;
  study.common_random_numbers = false;
  for (const auto& p : cal.parameters)
    study.parameter_names.push_back(p.key);
  for (std::size_t i = 0; i < thetas.size(); ++i) {
    const std::string variant = label + "-p" + std::to_string(i);
    study.variants.push_back(variant);
    std::vector<std::pair<std::string, std::string>> point;
    std::vector<std::string> overrides = cal.overrides;
    for (std::size_t k = 0; k < cal.parameters.size(); ++k) {
      point.emplace_back(cal.parameters[k].key, parameter_text(cal.parameters[k], thetas[i][k]));
      overrides.push_back(point.back().first + "=" + point.back().second);
    }
    scenario::StudyRun run;
    run.variant = variant;
    run.parameters = std::move(point);
    run.scenario = std::make_shared<const scenario::Scenario>(
        scenario::parse_scenario(cal.scenario_text, cal.scenario_path, overrides));
    run.overrides = std::move(overrides);
    run.scenario_path = cal.scenario_path;
    scenario::add_replicates(study, run, mix64(cal.seed ^ hash_name(cal.name + "/" + variant)));
  }
  return study;
}

/// Every published run of a finished batch directory, with its series, by key.
std::map<std::string, io::RunRecord> published_runs(const std::string& directory) {
  PublishedStudy published = read_published(directory);
  if (!published.damaged.empty() || !published.foreign.empty())
    throw std::runtime_error(directory + ": holds damaged batches or runs of another study");
  std::map<std::size_t, std::vector<io::RunRecord>> files;
  for (const auto& [key, result] : published.results)
    files.try_emplace(result.file);
  for (auto& [f, runs] : files)
    runs = io::read_runs(published.files[f], /*with_series=*/true);
  std::map<std::string, io::RunRecord> out;
  for (const auto& [key, result] : published.results)
    out.emplace(key, std::move(files[result.file][result.row]));
  return out;
}

/// Statistics and distances of a batch whose runs are all published, flattened for MPI:
/// particle by particle, its statistics then its distance.
std::vector<double> score(const Calibration& cal, const scenario::Study& study,
                          const std::string& directory) {
  const std::map<std::string, io::RunRecord> runs = published_runs(directory);
  const std::size_t m = cal.targets.size();
  const std::size_t particles = study.runs.size() / cal.replicates;
  std::vector<double> flat;
  for (std::size_t i = 0; i < particles; ++i) {
    std::vector<double> mean(m, 0.0);
    for (std::uint64_t r = 0; r < cal.replicates; ++r) {
      const std::string& key = study.runs[i * cal.replicates + r].key;
      const auto found = runs.find(key);
      if (found == runs.end())
        throw std::runtime_error(directory + ": run " + key + " has no published result");
      for (std::size_t t = 0; t < m; ++t)
        mean[t] += target_statistic(cal.targets[t], found->second);
    }
    double squares = 0.0;
    for (std::size_t t = 0; t < m; ++t) {
      mean[t] /= static_cast<double>(cal.replicates);
      const double z = (mean[t] - cal.targets[t].observed) / cal.targets[t].sd;
      squares += z * z;
    }
    flat.insert(flat.end(), mean.begin(), mean.end());
    flat.push_back(std::isfinite(squares) ? std::sqrt(squares) : kInf);
  }
  return flat;
}

/// An array task's part of a batch: its own slice, then every slice no task is running (a
/// killed or late task's), waiting for the slices other tasks are still running.
void run_shared_batch(const scenario::Study& study, SweepOptions sweep) {
  const unsigned own = sweep.shard.index;
  for (unsigned step = 0; step < sweep.shard.count; ++step) {
    sweep.shard.index = (own + step) % sweep.shard.count;
    for (;;) {
      try {
        run_sweep(study, sweep);
        break;
      } catch (const DirectoryInUse&) {
        // Another task runs this slice: wait for it (or, if it dies, take the slice over).
        std::this_thread::sleep_for(std::chrono::seconds(2));
      }
    }
  }
}

/// Runs a batch (resuming whatever of it is published) and scores it, on every rank.
Evaluated evaluate(const Calibration& cal, const CalibrationOptions& options,
                   const scenario::Study& study, const std::string& directory) {
  SweepOptions sweep;
  sweep.directory = directory;
  sweep.workers = options.workers;
  sweep.shard = options.shard;
  sweep.resume = true;
  std::vector<double> flat;
  if (options.mpi) {
    int rank = 0;
    run_sweep_mpi(study, sweep, rank);
    mpi_barrier();  // every rank has published its runs
    bool ok = true;
    std::exception_ptr failure;
    if (rank == 0) try {
        flat = score(cal, study, directory);
      } catch (...) {
        ok = false;
        failure = std::current_exception();
      }
    share_from_rank_zero(flat, ok);
    if (failure) std::rethrow_exception(failure);
  } else {
    // A resumed sweep runs only what is not published (nothing, for a finished batch).
    if (sweep.shard.count > 1)
      run_shared_batch(study, sweep);
    else
      run_sweep(study, sweep);
    flat = score(cal, study, directory);
  }
  Evaluated out;
  const std::size_t m = cal.targets.size();
  for (std::size_t at = 0; at + m < flat.size(); at += m + 1) {
    out.statistics.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(at),
                                flat.begin() + static_cast<std::ptrdiff_t>(at + m));
    out.distance.push_back(flat[at + m]);
  }
  return out;
}

/// `n` with leading zeros to `width` digits.
std::string padded(std::size_t n, int width) {
  std::ostringstream out;
  out << std::setw(width) << std::setfill('0') << n;
  return out.str();
}

}  // namespace

namespace {

/// The state of a calibration between batches, and the steps of the algorithm.
class Smc {
 public:
  Smc(const Calibration& cal, const CalibrationOptions& options, int rank)
      : cal_(cal), options_(options), space_(priors(cal)), rank_(rank) {}

  CalibrationReport run();

 private:
  static std::vector<scenario::Prior> priors(const Calibration& cal) {
    std::vector<scenario::Prior> out;
    for (const auto& p : cal.parameters)
      out.push_back(p.prior);
    return out;
  }

  void log(const std::string& line) const {
    if (options_.log && rank_ == 0) options_.log(line);
  }
  bool run_generation(std::size_t g);
  Points propose(std::size_t g, std::size_t b, std::size_t count) const;
  std::size_t batch_size(std::size_t g, std::size_t needed, std::size_t kept,
                         std::size_t simulated) const;
  bool worth_going_on(std::size_t g, std::size_t simulated, std::size_t passed, std::size_t failed,
                      const std::string& directory);
  void finish_generation(std::size_t g, Points thetas, std::vector<double> distances,
                         std::vector<std::vector<double>> statistics, std::size_t simulated,
                         std::size_t failed);
  void write_output() const;
  void run_predictive();

  const Calibration& cal_;
  const CalibrationOptions& options_;
  abc::Space space_;
  int rank_ = 0;
  std::uint64_t runs_ = 0;
  std::string stopped_;
  std::vector<io::CalibrationGeneration> generations_;
  Points previous_internal_;  // the last generation's particles, internal space
  std::vector<double> previous_weights_;
  std::string predictive_directory_;  // under DIRECTORY, once run
  Points predictive_theta_;
  std::vector<std::vector<double>> predictive_statistics_;
};

Points Smc::propose(std::size_t g, std::size_t b, std::size_t count) const {
  RandomEngine rng = RandomStreams(cal_.seed, 0)
                         .stream("calibration/g" + std::to_string(g) + "/b" + std::to_string(b));
  Points thetas;
  if (g == 0) {
    for (std::size_t i = 0; i < count; ++i)
      thetas.push_back(space_.draw(rng));
    return thetas;
  }
  const abc::Kernel kernel(previous_internal_, previous_weights_);
  const std::vector<double> sums = abc::cumulative(previous_weights_);
  for (std::size_t i = 0; i < count; ++i) {
    for (int attempt = 0;; ++attempt) {
      if (attempt == 100000)
        throw std::runtime_error("calibration: the kernel keeps leaving the priors' support");
      const Point u = kernel.perturb(previous_internal_[abc::draw_index(sums, rng)], rng);
      if (space_.inside(u)) {
        thetas.push_back(space_.to_model(u));
        break;
      }
    }
  }
  return thetas;
}

/// Candidates in batch b: what the acceptance seen so far in this generation (or the last
/// generation's, times the quantile that shrinks the tolerance) says it takes to find the
/// particles still needed, at least that many and at most 20 times the population (and never
/// more than kMaxBatch).
std::size_t Smc::batch_size(std::size_t g, std::size_t needed, std::size_t kept,
                            std::size_t simulated) const {
  if (g == 0) return std::min(needed, kMaxBatch);
  double rate = simulated ? static_cast<double>(kept) / static_cast<double>(simulated)
                          : generations_.back().acceptance_rate * cal_.quantile;
  rate = std::max(rate, 0.01);
  const auto size = static_cast<std::size_t>(std::ceil(1.1 * static_cast<double>(needed) / rate));
  return std::min(std::clamp<std::size_t>(size, needed, 20 * cal_.particles), kMaxBatch);
}

/// Whether an unfinished generation is worth more batches: not when every candidate so far
/// failed (throws: the scenario cannot run at these values), nor when it has simulated so many
/// that it would end below min_acceptance anyway (then it stops unfinished).
bool Smc::worth_going_on(std::size_t g, std::size_t simulated, std::size_t passed,
                         std::size_t failed, const std::string& directory) {
  if (simulated >= cal_.particles && failed == simulated)
    throw std::runtime_error("every run of the " + std::to_string(simulated) +
                             " particles of generation " + std::to_string(g) +
                             " failed or gave an undefined statistic (see `interdict merge " +
                             directory + "`)");
  if (cal_.min_acceptance > 0 && g > 0 &&
      static_cast<double>(simulated) * cal_.min_acceptance > static_cast<double>(cal_.particles) &&
      static_cast<double>(passed) < cal_.min_acceptance * static_cast<double>(simulated)) {
    stopped_ = "min_acceptance: generation " + std::to_string(g) + " had found " +
               std::to_string(passed) + " particles within tolerance in " +
               std::to_string(simulated) + " (left unfinished)";
    return false;
  }
  return true;
}

bool Smc::run_generation(std::size_t g) {
  const double epsilon = g == 0 ? kInf : abc::quantile(generations_.back().distance, cal_.quantile);
  Points kept;
  std::vector<double> distances;
  std::vector<std::vector<double>> statistics;
  std::size_t simulated = 0, passed = 0, failed = 0;
  for (std::size_t b = 0; kept.size() < cal_.particles; ++b) {
    const std::size_t size = batch_size(g, cal_.particles - kept.size(), passed, simulated);
    // A batch never shrinks to fit the budget, so raising max_runs later resumes the same plan.
    if (runs_ + size * cal_.replicates > cal_.max_runs) {
      stopped_ = "max_runs: generation " + std::to_string(g) + " would need more runs";
      return false;
    }
    const std::string label = "g" + padded(g, 2) + "-b" + padded(b, 3);
    const Points candidates = propose(g, b, size);
    const scenario::Study study = batch_study(cal_, label, candidates);
    const std::string directory =
        (fs::path(options_.directory) / ("g" + padded(g, 2)) / ("b" + padded(b, 3))).string();
    const Evaluated e = evaluate(cal_, options_, study, directory);
    runs_ += size * cal_.replicates;
    simulated += size;
    for (std::size_t i = 0; i < size; ++i) {
      if (!std::isfinite(e.distance[i])) ++failed;
      if (!std::isfinite(e.distance[i]) || e.distance[i] > epsilon) continue;
      ++passed;
      if (kept.size() < cal_.particles) {
        kept.push_back(candidates[i]);
        distances.push_back(e.distance[i]);
        statistics.push_back(e.statistics[i]);
      }
    }
    std::ostringstream line;
    line << "generation " << g << " batch " << b << ": " << size << " particles, " << kept.size()
         << "/" << cal_.particles << " kept";
    log(line.str());
    if (kept.size() < cal_.particles && !worth_going_on(g, simulated, passed, failed, directory))
      return false;
  }
  generations_.emplace_back();
  generations_.back().epsilon = epsilon;
  generations_.back().acceptance_rate =
      static_cast<double>(passed) / static_cast<double>(simulated);
  finish_generation(g, std::move(kept), std::move(distances), std::move(statistics), simulated,
                    failed);
  return true;
}

void Smc::finish_generation(std::size_t g, Points thetas, std::vector<double> distances,
                            std::vector<std::vector<double>> statistics, std::size_t simulated,
                            std::size_t failed) {
  Points internal;
  for (const Point& t : thetas)
    internal.push_back(space_.to_internal(t));
  std::vector<double> weights(thetas.size(), 1.0 / static_cast<double>(thetas.size()));
  if (g > 0) {
    const abc::Kernel kernel(previous_internal_, previous_weights_);
    weights =
        abc::importance_weights(space_, kernel, previous_internal_, previous_weights_, internal);
  }
  io::CalibrationGeneration& out = generations_.back();
  out.ess = abc::effective_sample_size(weights);
  out.simulated = simulated;
  out.runs = simulated * cal_.replicates;
  out.failed = failed;
  for (std::size_t i = 0; i < thetas.size(); ++i) {
    out.theta.insert(out.theta.end(), thetas[i].begin(), thetas[i].end());
    out.statistic.insert(out.statistic.end(), statistics[i].begin(), statistics[i].end());
  }
  out.weight = weights;
  out.distance = std::move(distances);
  previous_internal_ = std::move(internal);
  previous_weights_ = std::move(weights);
  std::ostringstream line;
  line << "generation " << g << ": tolerance " << out.epsilon << ", " << std::fixed
       << std::setprecision(1) << 100.0 * out.acceptance_rate << "% of " << simulated
       << " particles within it, ESS " << out.ess << ", " << failed << " failed, " << runs_
       << " runs so far";
  log(line.str());
}

void Smc::write_output() const {
  if (rank_ != 0) return;
  io::CalibrationFile f;
  f.name = cal_.name;
  f.calibration_text = cal_.text;
  f.scenario_text = cal_.scenario_text;
  f.stopped = stopped_;
  f.particles = cal_.particles;
  f.replicates = cal_.replicates;
  for (const auto& p : cal_.parameters) {
    f.parameters.push_back(p.key);
    std::ostringstream prior;
    prior << std::setprecision(6);
    if (p.prior.kind == scenario::Prior::Kind::normal)
      prior << "normal(" << p.prior.mean << ", " << p.prior.sd << ") on [" << p.prior.low << ", "
            << p.prior.high << "]";
    else
      prior << (p.prior.kind == scenario::Prior::Kind::uniform ? "uniform(" : "log-uniform(")
            << p.prior.low << ", " << p.prior.high << ")";
    f.priors.push_back(prior.str());
  }
  for (const auto& t : cal_.targets) {
    f.targets.push_back(t.name);
    f.target_metrics.push_back(t.metric);
    f.statistics.push_back(scenario::statistic_name(t.statistic));
    f.observed.push_back(t.observed);
    f.observed_sd.push_back(t.sd);
  }
  f.generations = generations_;
  f.predictive_directory = predictive_directory_;
  for (std::size_t i = 0; i < predictive_theta_.size(); ++i) {
    f.predictive_theta.insert(f.predictive_theta.end(), predictive_theta_[i].begin(),
                              predictive_theta_[i].end());
    f.predictive_statistic.insert(f.predictive_statistic.end(), predictive_statistics_[i].begin(),
                                  predictive_statistics_[i].end());
  }
  io::write_calibration((fs::path(options_.directory) / "calibration.h5").string(), f);
}

/// Particles drawn by weight from the last generation, run again with new random numbers.
void Smc::run_predictive() {
  if (cal_.predictive == 0 || generations_.empty()) return;
  RandomEngine rng = RandomStreams(cal_.seed, 0).stream("calibration/predictive");
  const std::vector<double> sums = abc::cumulative(previous_weights_);
  Points thetas;
  for (std::uint64_t i = 0; i < cal_.predictive; ++i)
    thetas.push_back(space_.to_model(previous_internal_[abc::draw_index(sums, rng)]));
  Calibration single = cal_;
  single.replicates = 1;
  const scenario::Study study = batch_study(single, "predictive", thetas);
  // Named by what decides its runs, so a calibration extended later gets a directory of its own.
  predictive_directory_ =
      "predictive-g" + padded(generations_.size() - 1, 2) + "-n" + std::to_string(cal_.predictive);
  const std::string directory = (fs::path(options_.directory) / predictive_directory_).string();
  predictive_statistics_ = evaluate(single, options_, study, directory).statistics;
  predictive_theta_ = thetas;
  if (rank_ == 0) merge_study(directory, (fs::path(directory) / "merged.h5").string());
  log("posterior predictive: " + std::to_string(cal_.predictive) + " runs in " + directory);
}

CalibrationReport Smc::run() {
  for (std::size_t g = 0; g < cal_.generations; ++g) {
    if (!run_generation(g)) break;
    write_output();
    const io::CalibrationGeneration& last = generations_.back();
    if (g + 1 == cal_.generations) {
      stopped_ = "generations: ran all " + std::to_string(cal_.generations);
    } else if (last.acceptance_rate < cal_.min_acceptance) {
      stopped_ = "min_acceptance: generation " + std::to_string(g) + " kept fewer than " +
                 scenario::shortest(cal_.min_acceptance) + " of the particles it simulated";
    } else if (g > 0 && last.epsilon <= cal_.tolerance) {
      stopped_ = "tolerance: reached " + scenario::shortest(cal_.tolerance);
    } else {
      continue;
    }
    break;
  }
  run_predictive();
  write_output();
  CalibrationReport report;
  report.generations = generations_.size();
  report.runs = runs_;
  report.stopped = stopped_;
  report.output = (fs::path(options_.directory) / "calibration.h5").string();
  report.rank = rank_;
  return report;
}

/// A digest of everything that decides which runs the generations make: not the stopping rules
/// (generations, min_acceptance, tolerance, max_runs) nor the predictive runs, which may change
/// between a calibration and its continuation.
std::string plan_digest(const Calibration& cal) {
  std::ostringstream text;
  text << std::setprecision(17) << "scenario\n" << cal.scenario_text << "\noverrides\n";
  for (const std::string& o : cal.overrides)
    text << o << "\n";
  for (const auto& p : cal.parameters)
    text << "parameter " << p.key << " " << static_cast<int>(p.prior.kind) << " " << p.prior.low
         << " " << p.prior.high << " " << p.prior.mean << " " << p.prior.sd << "\n";
  for (const auto& t : cal.targets) {
    text << "target " << t.name << " " << t.metric << " " << static_cast<int>(t.statistic) << " "
         << t.start << " " << t.end << " " << t.observed << " " << t.sd;
    for (const std::string& m : t.of)
      text << " " << m;
    text << "\n";
  }
  text << "particles " << cal.particles << " replicates " << cal.replicates << " seed " << cal.seed
       << " quantile " << cal.quantile << " name " << cal.name << "\n";
  return text_digest(text.str());
}

/// Writes `text` to `path` whole (a temporary beside it, then a rename).
void write_whole(const fs::path& path, const std::string& text) {
  const std::string temporary = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out.flush()) throw std::runtime_error(temporary + ": cannot write");
  }
  fs::rename(temporary, path);
}

/// DIRECTORY/calibration.toml and DIRECTORY/plan.xxh3: written by a new calibration; on resume,
/// the file calibrated may differ from the one the directory started with only in its stopping
/// rules and predictive runs (to run more generations), and then replaces it.
void claim_directory(const Calibration& cal, const CalibrationOptions& options) {
  const fs::path dir(options.directory);
  const fs::path copy = dir / "calibration.toml";
  std::error_code ec;
  const bool used = fs::exists(dir, ec) && !fs::is_empty(dir, ec);
  // Array tasks start together: each continues what the others began.
  if (used && !options.resume && options.shard.count == 1)
    throw scenario::InputError(options.directory, 0, 0, "",
                               "the directory is not empty: continue the calibration it holds "
                               "with --resume, or give a new directory");
  const fs::path plan = dir / "plan.xxh3";
  const std::string digest = plan_digest(cal);
  if (fs::exists(copy)) {
    if (!fs::exists(plan) || scenario::read_input_file(plan.string()) != digest + "\n")
      throw scenario::InputError(
          cal.path, 0, 0, "",
          "differs from the calibration " + options.directory +
              " was started with (its calibration.toml) in more than its stopping rules "
              "(generations, min_acceptance, tolerance, max_runs) and predictive runs, or its "
              "scenario changed: use a new directory");
    if (scenario::read_input_file(copy.string()) != cal.text) write_whole(copy, cal.text);
    return;
  }
  if (used)
    throw scenario::InputError(options.directory, 0, 0, "",
                               "holds no calibration.toml: not a calibration directory");
  // Both files appear at once, so that an array task starting beside this one never finds the
  // directory with one alone: they are written in a sibling directory renamed into place.
  fs::path target = dir.lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  const fs::path staging = target.string() + ".claim-" + std::to_string(::getpid());
  fs::remove_all(staging, ec);
  fs::create_directories(staging);
  write_whole(staging / "plan.xxh3", digest + "\n");
  write_whole(staging / "calibration.toml", cal.text);
  std::error_code renamed;
  fs::rename(staging, target, renamed);  // onto a missing or empty directory only
  if (!renamed) return;
  fs::remove_all(staging, ec);
  if (!fs::exists(copy))
    throw std::runtime_error("cannot create " + options.directory + ": " + renamed.message());
  claim_directory(cal, options);  // another task claimed it first: continue its calibration
}

}  // namespace

CalibrationReport run_calibration(const Calibration& cal, const CalibrationOptions& options) {
  std::optional<MpiSession> mpi;
  if (options.mpi) mpi.emplace();
  const int rank = mpi ? mpi->rank() : 0;
  // Rank 0 claims the directory; the others follow once it has (or stop if it could not).
  std::vector<double> nothing;
  if (rank == 0) {
    try {
      claim_directory(cal, options);
    } catch (...) {
      if (mpi) share_from_rank_zero(nothing, false);
      throw;
    }
  }
  if (mpi) share_from_rank_zero(nothing, true);
  return Smc(cal, options, rank).run();
}

}  // namespace interdict::experiment
