// Sweep: the worker pool, batch publishing, resuming and merging of a study's runs.
#include "experiment/Sweep.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/Version.hpp"
#include "experiment/RunScenario.hpp"
#include "io/FormatError.hpp"
#include "io/RunJournal.hpp"
#include "io/StudyStore.hpp"
#include "model/InterventionLog.hpp"
#include "model/NetworkTables.hpp"
#include "scenario/InputError.hpp"
#include "scenario/Scenario.hpp"

namespace interdict::experiment {

namespace fs = std::filesystem;

namespace {

io::StudyInfo info_of(const scenario::Study& study) {
  return io::StudyInfo{study.name, study.text, study.parameter_names, study.design};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

io::RunRecord planned_record(const scenario::StudyRun& run) {
  io::RunRecord r;
  r.key = run.key;
  r.variant = run.variant;
  r.parameters = run.parameters;
  r.replicate = run.replicate;
  r.seed = run.seed;
  r.design = run.design;
  r.identity = run.identity;
  r.status = "planned";
  r.interventions = model::intervention_log({});  // its columns, no rows: none fired (yet)
  return r;
}

}  // namespace

void take_results(MemoryRecorder& recorder, io::RunRecord& record) {
  record.status = "ok";
  record.time = recorder.times();
  record.series_metrics = recorder.series();
  record.series = recorder.release_values();
  if (const Table* log = recorder.find_table(model::kInterventionLog)) record.interventions = *log;
  for (const auto& [metric, value] : recorder.summaries()) {
    record.summary_metrics.push_back(metric);
    record.summary.push_back(value);
  }
}

namespace {

/// Runs one run of a study; a run that throws is recorded as failed, except when interrupted
/// (RunInterrupted passes through: it is no result).
io::RunRecord execute(const scenario::StudyRun& run, const std::atomic<bool>* interrupt) {
  io::RunRecord record = planned_record(run);  // the identity too
  try {
    MemoryRecorder recorder;
    recorder.skip_tables(model::kNetworkTables);  // study files hold no network
    run_scenario(*run.scenario, run.seed, run.replicate, recorder, 1, interrupt);
    take_results(recorder, record);
  } catch (const RunInterrupted&) {
    throw;
  } catch (const std::exception& e) {
    record.status = "failed";
    record.error = e.what();
  }
  return record;
}

std::vector<fs::path> batch_files(const std::string& directory) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("runs-") && name.ends_with(".h5")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// When a worker publishes ahead of the end of the sweep. Batches published at the very end
/// have nothing computed alongside them, so each worker publishes what it holds a little before
/// the runs run out, one worker after another: worker w when fewer than (w + 1) x K x (W - 1)
/// runs are left to hand out, K being how many runs one publish of its batch lasts. While it
/// writes, the other W - 1 workers compute those runs; it then ends holding only the runs it did
/// since. (Two workers on two cores: the last writes went from about 25 ms to 5 ms of a 0.3 s
/// sweep.)
class Endgame {
 public:
  Endgame(unsigned worker, unsigned workers) : worker_(worker), workers_(workers) {}

  void ran(double seconds) {  // a run, journal included
    ++runs_;
    run_seconds_ += seconds;
  }
  void published(std::size_t runs, double seconds) {
    published_runs_ += runs;
    publish_seconds_ += seconds;
  }

  bool publish_now(std::size_t left, std::size_t held) {
    if (done_ || workers_ < 2 || held <= kFewRuns || runs_ == 0) return false;
    // Until this worker has published once, guess that publishing a run takes a tenth of
    // computing it (the sweep benchmark measures 8-11%).
    const double run = run_seconds_ / static_cast<double>(runs_);
    const double per_published_run =
        published_runs_ ? publish_seconds_ / static_cast<double>(published_runs_) : 0.1 * run;
    const double runs_per_publish = std::ceil(static_cast<double>(held) * per_published_run / run);
    done_ = static_cast<double>(left) <
            static_cast<double>((worker_ + 1) * (workers_ - 1)) * runs_per_publish;
    return done_;
  }

 private:
  static constexpr std::size_t kFewRuns = 8;  // not worth a file of their own ahead of time
  unsigned worker_, workers_;
  std::size_t runs_ = 0, published_runs_ = 0;
  double run_seconds_ = 0.0, publish_seconds_ = 0.0;
  bool done_ = false;
};

}  // namespace

namespace {

/// The lines two texts do not share, as "`old`, ... -> `new`, ..." (a few of each). Lines, not
/// positions: a study that grew (a variant added) and changed shows the change, not the shift.
std::string changed_lines(const std::string& before, const std::string& after) {
  const auto lines = [](const std::string& text) {
    std::multiset<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      out.insert(line);
    return out;
  };
  const std::multiset<std::string> a = lines(before), b = lines(after);
  const auto only = [&](const std::multiset<std::string>& x, const std::multiset<std::string>& y) {
    std::vector<std::string> rest;
    std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(rest));
    std::string out;
    for (std::size_t i = 0; i < rest.size() && i < 4; ++i)
      out += (i ? ", `" : "`") + rest[i] + "`";
    return rest.empty() ? std::string("nothing") : out + (rest.size() > 4 ? ", ..." : "");
  };
  return only(a, b) + " -> " + only(b, a);
}

/// Why the runs planned in the manifest are not the study's runs any more.
std::string what_changed(const scenario::Study& study, const std::string& manifest,
                         const io::RunRecord& planned, const scenario::StudyRun& now) {
  const io::StudyInfo info = io::read_study_info(manifest);
  const std::string software = io::read_software_version(manifest);
  std::string why = "run " + now.key + " (variant \"" + now.variant + "\", replicate " +
                    std::to_string(now.replicate) + ") is not the run planned there: ";
  if (planned.identity.empty())
    return why +
           "the directory was made by an older interdict that did not record what its runs "
           "are, so they cannot be checked";
  if (software != std::string(kVersion) + " " + kGitCommit)
    return why + "interdict changed since (" + software + " then, " + kVersion + " " + kGitCommit +
           " now), and results may differ between versions";
  if (info.study_text != study.text)
    return why + "the study file changed since (lines " +
           changed_lines(info.study_text, study.text) + ")";
  if (planned.seed != now.seed)
    return why + "its seed changed (" + std::to_string(planned.seed) + " -> " +
           std::to_string(now.seed) + ")";
  return why + "the scenario (" + now.scenario_path +
         ") or a file it builds on changed since the sweep began";
}

/// "KEY (variant "V", replicate R)" for the first few runs of `runs`.
std::string some_runs(const std::vector<const io::RunRecord*>& runs) {
  std::string out;
  for (std::size_t i = 0; i < runs.size() && i < 3; ++i)
    out += (i ? ", " : "") + runs[i]->key + " (variant \"" + runs[i]->variant + "\", replicate " +
           std::to_string(runs[i]->replicate) + ")";
  return out + (runs.size() > 3 ? ", ..." : "");
}

/// Checks the manifest DIRECTORY holds against the study as it is now: every run it plans must
/// still be in the study, with the same identity. Returns how many runs the study adds to it
/// (a grown study: more replicates, a new variant, new grid values).
std::size_t check_manifest(const scenario::Study& study, const std::string& directory,
                           const std::string& path) {
  if (!io::manifest_intact(path))
    throw scenario::InputError(path, 0, 0, "",
                               "damaged (its bytes do not match manifest.h5.xxh3); remove both "
                               "files and resume to write it again from the study");
  std::map<std::string, io::RunRecord> planned;
  for (io::RunRecord& r : io::read_runs(path, /*with_series=*/false))
    planned.emplace(r.key, std::move(r));
  std::size_t matched = 0;
  for (const scenario::StudyRun& run : study.runs) {
    const auto it = planned.find(run.key);
    if (it == planned.end()) continue;
    ++matched;
    if (it->second.identity != run.identity)
      throw scenario::InputError(
          directory, 0, 0, "",
          "holds results of a different study: " + what_changed(study, path, it->second, run) +
              ". Sweep into a new directory (or restore the study as it was) so that results of "
              "the two are never mixed");
  }
  if (matched == planned.size()) return study.runs.size() - matched;
  std::set<std::string> now;
  for (const scenario::StudyRun& run : study.runs)
    now.insert(run.key);
  std::vector<const io::RunRecord*> removed;
  for (const auto& [key, run] : planned)
    if (!now.count(key)) removed.push_back(&run);
  throw scenario::InputError(
      directory, 0, 0, "",
      "holds a plan of " + std::to_string(planned.size()) + " runs, " +
          std::to_string(removed.size()) +
          " of which this study no longer has: " + some_runs(removed) +
          ". A study directory can grow (more replicates, variants or grid values) but not "
          "shrink: put those runs back in the study, or sweep into a new directory");
}

/// Writes the manifest of a new directory, or checks the one it holds plans no other runs than
/// the study (grown or not); returns how many runs the study adds to it.
std::size_t write_or_check_manifest(const scenario::Study& study, const std::string& directory) {
  fs::create_directories(directory);
  const std::string path = (fs::path(directory) / "manifest.h5").string();
  if (fs::exists(path)) return check_manifest(study, directory, path);
  write_plan(study, path);
  return 0;
}

}  // namespace

void write_plan(const scenario::Study& study, const std::string& path) {
  std::vector<io::RunRecord> plan;
  for (const auto& run : study.runs)
    plan.push_back(planned_record(run));
  io::write_manifest(path, info_of(study), plan);
}

namespace {

/// Removes what unfinished writes left in DIRECTORY, if no other sweep is writing there.
void remove_stale_temporaries(const std::string& directory, const io::SweepLock& lock) {
  if (!lock.alone()) return;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec))
    if (io::is_temporary(entry.path().filename().string())) fs::remove(entry.path(), ec);
}

/// Moves batches whose bytes no longer match their digest out of the way (renamed damaged-*),
/// so that their runs run again; returns how many.
std::size_t set_aside_damaged(const std::string& directory) {
  std::size_t damaged = 0;
  for (const fs::path& file : batch_files(directory)) {
    if (io::batch_intact(file.string())) continue;
    const fs::path aside = file.parent_path() / ("damaged-" + file.filename().string());
    std::error_code ec;
    fs::rename(file, aside, ec);
    if (ec)
      throw std::runtime_error(file.string() +
                               ": damaged, and cannot be set aside: " + ec.message());
    std::cerr << "warning: " << file.string()
              << ": damaged (its bytes do not match the digest in its name); set aside as "
              << aside.filename().string() << ", its runs will run again\n";
    ++damaged;
  }
  return damaged;
}

/// Without --resume, a directory that already holds results of this shard's runs (published or
/// journalled) is refused: sweeping again would compute them all a second time.
void refuse_to_run_again(const scenario::Study& study, const SweepOptions& options) {
  std::set<std::string> mine;
  for (std::size_t i = options.shard.index; i < study.runs.size(); i += options.shard.count)
    mine.insert(study.runs[i].key);
  const auto refuse = [&](const std::string& what) {
    throw scenario::InputError(options.directory, 0, 0, "",
                               what +
                                   ": use --resume to complete or extend it, or sweep into "
                                   "another directory");
  };
  for (const std::string& journal : io::stale_journals(options.directory))
    refuse("holds the journal of a sweep that was stopped (" + journal + ")");
  for (const fs::path& file : batch_files(options.directory)) {
    if (!io::batch_intact(file.string())) refuse("holds a damaged batch (" + file.string() + ")");
    for (const auto& [key, status] : io::read_run_status(file.string()))
      if (mine.count(key)) refuse("already holds results of this study");
  }
}

/// Under the directory's manifest lock: writes or checks the manifest, and for a grown study
/// rewrites it with the grown plan, unless another sweep runs the plan as it was or (without
/// --resume) this shard's runs have results already. Then marks this sweep as running the
/// manifest's plan. Returns how many runs the study added.
std::size_t settle_manifest(const scenario::Study& study, const SweepOptions& options,
                            const io::SweepLock& lock) {
  const io::SweepLock::ManifestGuard guard = lock.manifest();
  const std::size_t added = write_or_check_manifest(study, options.directory);
  if (added > 0) {
    if (!options.resume) refuse_to_run_again(study, options);
    if (lock.plan_in_use())
      throw DirectoryInUse(options.directory, 0, 0, "",
                           "a sweep of this study as it was before it grew (by " +
                               std::to_string(added) +
                               " runs) is running in this directory; wait for it to end, then "
                               "sweep the grown study with --resume");
    write_plan(study, (fs::path(options.directory) / "manifest.h5").string());
  }
  lock.hold_plan();
  return added;
}

}  // namespace

SweepPlan plan_sweep(const scenario::Study& study, const SweepOptions& options) {
  SweepPlan plan;
  try {
    plan.lock.emplace(
        io::SweepLock::own(options.directory, options.shard.index, options.shard.count));
  } catch (const io::DirectoryBusy& e) {
    throw DirectoryInUse(options.directory, 0, 0, "", e.what());
  }
  plan.report.added = settle_manifest(study, options, *plan.lock);
  remove_stale_temporaries(options.directory, *plan.lock);
  plan.report.planned = study.runs.size();
  std::set<std::string> published;
  if (!options.resume) {
    refuse_to_run_again(study, options);
  } else {
    plan.report.damaged = set_aside_damaged(options.directory);
    plan.report.recovered = io::recover_journals(options.directory, info_of(study));
    for (const fs::path& file : batch_files(options.directory))
      for (const auto& [key, status] : io::read_run_status(file.string()))
        if (status == "ok") published.insert(key);
  }
  for (std::size_t i = 0; i < study.runs.size(); ++i) {
    if (i % options.shard.count != options.shard.index) continue;
    ++plan.report.assigned;
    if (published.count(study.runs[i].key)) {
      ++plan.report.skipped;
      continue;
    }
    plan.todo.push_back(&study.runs[i]);
  }
  return plan;
}

void finish_sweep(const SweepPlan& plan, const SweepOptions& options) {
  if (plan.lock) remove_stale_temporaries(options.directory, *plan.lock);
}

void run_worker(const scenario::Study& study, const SweepOptions& options, const SweepPlan& plan,
                unsigned worker, const std::function<std::optional<std::size_t>()>& next_index,
                const std::function<void(const io::RunRecord&)>& finished, SweepReport& report) {
  // Each finished run goes to the journal at once (a kill loses only the run in progress) and
  // into the batch, published as one HDF5 file now and then; the journal then goes.
  std::vector<io::RunRecord> batch;
  std::optional<io::RunJournal> journal;
  Endgame endgame(worker, plan.workers);
  auto batch_started = std::chrono::steady_clock::now();
  const auto publish = [&] {
    if (batch.empty()) return;
    const auto start = std::chrono::steady_clock::now();
    io::publish_batch(options.directory, info_of(study), batch);
    journal->remove();
    journal.reset();
    const double seconds = seconds_since(start);
    report.publish_seconds += seconds;
    endgame.published(batch.size(), seconds);
    batch.clear();
    batch_started = std::chrono::steady_clock::now();
  };
  while (const auto i = next_index()) {
    const auto start = std::chrono::steady_clock::now();
    try {
      batch.push_back(execute(*plan.todo[*i], options.interrupt));
    } catch (const RunInterrupted&) {
      break;  // what finished is still published
    }
    const auto computed = std::chrono::steady_clock::now();
    if (!journal) journal.emplace(io::new_journal_path(options.directory));
    journal->append(batch.back());
    report.journal_seconds += seconds_since(computed);
    endgame.ran(seconds_since(start));
    finished(batch.back());
    const std::size_t left = plan.todo.size() - 1 - *i;  // runs not handed out yet
    if (batch.size() >= options.batch_runs ||
        seconds_since(batch_started) >= options.batch_seconds ||
        endgame.publish_now(left, batch.size()))
      publish();
  }
  publish();
}

SweepReport run_sweep(const scenario::Study& study, const SweepOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  SweepPlan plan = plan_sweep(study, options);
  SweepReport& report = plan.report;
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  std::exception_ptr failure;
  const auto next_index = [&]() -> std::optional<std::size_t> {
    if (options.interrupt && options.interrupt->load()) return std::nullopt;
    const std::size_t i = next.fetch_add(1);
    return i < plan.todo.size() ? std::optional(i) : std::nullopt;
  };
  const auto finished = [&](const io::RunRecord& record) {
    const std::lock_guard lock(progress_mutex);
    ++report.done;
    if (record.status != "ok") ++report.failed;
    if (options.progress) options.progress(report.done, report.failed, plan.todo.size());
  };
  std::vector<SweepReport> writing(std::max(1u, options.workers));
  const auto worker = [&](unsigned w) {
    try {
      run_worker(study, options, plan, w, next_index, finished, writing[w]);
    } catch (...) {
      const std::lock_guard lock(progress_mutex);
      if (!failure) failure = std::current_exception();
      next = plan.todo.size();  // stop the other workers too
    }
  };
  const unsigned n = std::max(
      1u, std::min<unsigned>(options.workers,
                             static_cast<unsigned>(std::max<std::size_t>(1, plan.todo.size()))));
  plan.workers = n;
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < n; ++w)
    threads.emplace_back(worker, w);
  worker(0);
  for (std::thread& t : threads)
    t.join();
  if (failure) std::rethrow_exception(failure);
  finish_sweep(plan, options);
  for (const SweepReport& w : writing) {
    report.journal_seconds += w.journal_seconds;
    report.publish_seconds += w.publish_seconds;
  }
  report.seconds = seconds_since(start);
  return report;
}

PublishedStudy read_published(const std::string& directory) {
  const std::string manifest = (fs::path(directory) / "manifest.h5").string();
  if (!fs::exists(manifest))
    throw scenario::InputError(directory, 0, 0, "", "no manifest.h5: not a sweep directory");
  if (!io::manifest_intact(manifest))
    throw io::FormatError(manifest + ": damaged (its bytes do not match manifest.h5.xxh3)");
  PublishedStudy study;
  study.plan = io::read_runs(manifest, /*with_series=*/false);
  std::map<std::string, std::string> identity;
  for (const io::RunRecord& r : study.plan)
    identity[r.key] = r.identity;
  for (const fs::path& file : batch_files(directory)) {
    // Checked before HDF5 opens it: libhdf5 may crash or hang on damaged bytes.
    if (!io::batch_intact(file.string())) {
      study.damaged.push_back(file.string());
      continue;
    }
    study.files.push_back(file.string());
  }
  for (std::size_t f = 0; f < study.files.size(); ++f) {
    std::vector<io::RunRecord> runs = io::read_runs(study.files[f], /*with_series=*/false);
    for (std::size_t row = 0; row < runs.size(); ++row) {
      const std::string key = runs[row].key;
      const auto planned = identity.find(key);
      if (planned != identity.end() && planned->second != runs[row].identity) {
        study.foreign.push_back(study.files[f] + " (run " + key + ")");
        continue;
      }
      if (runs[row].status == "ok" || !study.results.count(key))
        study.results[key] = PublishedStudy::Result{std::move(runs[row]), f, row};
    }
  }
  return study;
}

MergeReport merge_study(const std::string& directory, const std::string& output) {
  PublishedStudy published = read_published(directory);
  if (!published.damaged.empty() || !published.foreign.empty()) {
    std::string what;
    for (const std::string& f : published.damaged)
      what += "\n  damaged (bytes do not match the digest in its name): " + f;
    for (const std::string& f : published.foreign)
      what += "\n  computed for another study than the manifest plans: " + f;
    throw io::FormatError(directory +
                          ": nothing merged, the directory holds batches that "
                          "cannot be trusted:" +
                          what + "\n(`interdict sweep STUDY -o " + directory +
                          " --resume` sets damaged batches aside and runs their runs again)");
  }
  const std::vector<io::RunRecord>& plan = published.plan;
  const std::vector<std::string>& files = published.files;
  MergeReport report;
  report.planned = plan.size();
  std::vector<io::RunRecord> merged;
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> rows(files.size());  // row, at
  for (const io::RunRecord& planned : plan) {
    const auto it = published.results.find(planned.key);
    if (it == published.results.end() || it->second.run.status != "ok") {
      report.missing.push_back(planned.key);
      continue;
    }
    rows[it->second.file].emplace_back(it->second.row, merged.size());
    merged.push_back(std::move(it->second.run));
  }
  if (!report.missing.empty()) return report;
  // One metric of every run at a time, read from the batches that hold the chosen runs: the
  // merge holds a few metrics of the study in memory, not the study.
  const io::SeriesSource series = [&](std::size_t, const MetricInfo& m,
                                      std::vector<double>& values) {
    const std::size_t t = values.size() / merged.size();  // the merged file's time axis
    for (std::size_t f = 0; f < files.size(); ++f) {
      if (rows[f].empty()) continue;
      const io::SeriesBlock block = io::read_series(files[f], m.name);
      if (block.values.empty()) continue;
      const std::size_t length = std::min(block.times, t);
      for (const auto& [row, at] : rows[f])
        std::copy_n(block.values.begin() + static_cast<std::ptrdiff_t>(row * block.times), length,
                    values.begin() + static_cast<std::ptrdiff_t>(at * t));
    }
  };
  io::write_runs(output, io::read_study_info((fs::path(directory) / "manifest.h5").string()),
                 merged, series);
  report.merged = merged.size();
  return report;
}

}  // namespace interdict::experiment
