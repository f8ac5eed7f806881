// Sweep: the worker pool, batch publishing, resuming and merging of a study's runs.
#include "experiment/Sweep.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "experiment/RunScenario.hpp"
#include "io/RunJournal.hpp"
#include "io/StudyStore.hpp"
#include "scenario/InputError.hpp"
#include "scenario/Scenario.hpp"

namespace interdict::experiment {

namespace fs = std::filesystem;

namespace {

io::StudyInfo info_of(const scenario::Study& study) {
  return io::StudyInfo{study.name, study.text, study.parameter_names};
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
  r.status = "planned";
  return r;
}

}  // namespace

void take_results(MemoryRecorder& recorder, io::RunRecord& record) {
  record.status = "ok";
  record.time = recorder.times();
  record.series_metrics = recorder.series();
  record.series = recorder.release_values();
  record.interventions = recorder.interventions();
  for (const auto& [metric, value] : recorder.summaries()) {
    record.summary_metrics.push_back(metric);
    record.summary.push_back(value);
  }
}

namespace {

io::RunRecord execute(const scenario::StudyRun& run) {
  io::RunRecord record = planned_record(run);
  try {
    MemoryRecorder recorder;
    recorder.keep_network(false);  // study files hold no network record
    run_scenario(*run.scenario, run.seed, run.replicate, recorder);
    take_results(recorder, record);
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

void write_manifest(const scenario::Study& study, const std::string& directory) {
  fs::create_directories(directory);
  const std::string path = (fs::path(directory) / "manifest.h5").string();
  if (fs::exists(path)) {
    std::set<std::string> planned;
    for (const auto& [key, status] : io::read_run_status(path))
      planned.insert(key);
    std::set<std::string> wanted;
    for (const auto& run : study.runs)
      wanted.insert(run.key);
    if (planned != wanted)
      throw scenario::InputError(
          directory, 0, 0, "",
          "holds results of a different plan (manifest.h5); use another directory");
    return;
  }
  std::vector<io::RunRecord> plan;
  for (const auto& run : study.runs)
    plan.push_back(planned_record(run));
  io::write_runs(path, info_of(study), plan, /*keep=*/false);  // packed: quick to write
}

SweepPlan plan_sweep(const scenario::Study& study, const SweepOptions& options) {
  write_manifest(study, options.directory);
  SweepPlan plan;
  plan.report.planned = study.runs.size();
  std::set<std::string> published;
  if (options.resume) {
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
    io::write_runs((fs::path(options.directory) / ("runs-" + batch.front().key + ".h5")).string(),
                   info_of(study), batch, /*keep=*/false);
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
    batch.push_back(execute(*plan.todo[*i]));
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
  PublishedStudy study;
  study.plan = io::read_runs(manifest, /*with_series=*/false);
  for (const fs::path& file : batch_files(directory))
    study.files.push_back(file.string());
  for (std::size_t f = 0; f < study.files.size(); ++f) {
    std::vector<io::RunRecord> runs = io::read_runs(study.files[f], /*with_series=*/false);
    for (std::size_t row = 0; row < runs.size(); ++row) {
      const std::string key = runs[row].key;
      if (runs[row].status == "ok" || !study.results.count(key))
        study.results[key] = PublishedStudy::Result{std::move(runs[row]), f, row};
    }
  }
  return study;
}

MergeReport merge_study(const std::string& directory, const std::string& output) {
  PublishedStudy published = read_published(directory);
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
