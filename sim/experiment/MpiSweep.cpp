// MpiSweep: dynamic distribution of a study's runs over the ranks of an MPI job.
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "experiment/Sweep.hpp"
#include "io/StudyStore.hpp"
#include "scenario/InputError.hpp"

namespace interdict::experiment {

namespace {

// worker -> rank 0: {state, runs ok, runs failed} since its last request (state kRanFailed
// if it stopped on an error, else 0)
constexpr int kRequestTag = 1;
// rank 0 -> worker: {first, count}, indices into the plan; count 0 when all are handed out
constexpr int kReplyTag = 2;

}  // namespace

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* size = std::getenv(name); size != nullptr && std::atoi(size) > 1) return true;
  return false;
}

namespace {

constexpr long long kMaxChunk = 64;  // most runs an adaptive chunk holds
constexpr int kFailedTag = 3;        // worker -> rank 0: why it stopped (after a request saying so)
constexpr int kRanFailed = 2;        // in a request: the sender stopped on an error

/// A rank other than 0: asks rank 0 for runs until told there are none. If it fails (a full
/// disk), it tells rank 0 why, so the sweep stops everywhere, and throws SweepAbandoned.
void run_follower(const scenario::Study& study, const SweepOptions& options, const SweepPlan& plan,
                  int rank, std::mutex& progress_mutex, std::size_t& done, std::size_t& failed,
                  SweepReport& report) {
  int request[3] = {0, 0, 0};   // state, ok and failed since the last request
  long long chunk[2] = {0, 0};  // the runs handed out: first, count
  const auto ask = [&] {
    MPI_Send(request, 3, MPI_INT, 0, kRequestTag, MPI_COMM_WORLD);
    MPI_Recv(chunk, 2, MPI_LONG_LONG, 0, kReplyTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    request[1] = request[2] = 0;
  };
  bool finished = false;  // refused: no runs are left
  try {
    run_worker(
        study, options, plan, static_cast<unsigned>(rank),
        [&]() -> std::optional<std::size_t> {
          if (chunk[1] == 0 && !finished) {
            ask();
            finished = chunk[1] == 0;
          }
          if (finished) return std::nullopt;
          --chunk[1];
          return static_cast<std::size_t>(chunk[0]++);
        },
        [&](const io::RunRecord& r) {
          ++request[r.status == "ok" ? 1 : 2];
          const std::lock_guard lock(progress_mutex);
          ++done;
          if (r.status != "ok") ++failed;
        },
        report);
  } catch (const std::exception& e) {
    // Refused already (it failed publishing its last batch): rank 0 counts it finished and may
    // have stopped serving; it learns of the failure after the sweep, in run_sweep_mpi.
    if (finished) throw SweepAbandoned(1);
    request[0] = kRanFailed;
    std::string why = e.what();
    why.resize(std::min<std::size_t>(why.size(), 4000));
    MPI_Send(request, 3, MPI_INT, 0, kRequestTag, MPI_COMM_WORLD);
    MPI_Send(why.data(), static_cast<int>(why.size()), MPI_CHAR, 0, kFailedTag, MPI_COMM_WORLD);
    MPI_Recv(chunk, 2, MPI_LONG_LONG, 0, kReplyTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    throw SweepAbandoned(1);
  }
}

/// Rank 0 plans (taking the directory, checking the manifest, recovering journals) and sends
/// every rank the same list of runs to do, as indices into the study; the others join the
/// directory's lock. Every rank learns whether planning failed, so none waits forever.
SweepPlan plan_on_rank_zero(const scenario::Study& study, const SweepOptions& options, int rank,
                            std::exception_ptr& failure) {
  SweepPlan plan;
  int status = 0;  // 0 planned, else the exit status the failure calls for
  if (rank == 0) {
    try {
      plan = plan_sweep(study, options);
    } catch (const scenario::InputError&) {
      failure = std::current_exception();
      status = 2;
    } catch (...) {
      failure = std::current_exception();
      status = 1;
    }
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (status != 0) {
    if (rank != 0) failure = std::make_exception_ptr(SweepAbandoned(status));
    return plan;
  }
  std::vector<unsigned long long> todo;
  unsigned long long counts[4] = {0, 0, 0, 0};
  if (rank == 0) {
    for (const scenario::StudyRun* run : plan.todo)
      todo.push_back(static_cast<unsigned long long>(run - study.runs.data()));
    counts[0] = todo.size();
    counts[1] = plan.report.assigned;
    counts[2] = plan.report.skipped;
    counts[3] = plan.report.recovered;
  }
  MPI_Bcast(counts, 4, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  todo.resize(counts[0]);
  MPI_Bcast(todo.data(), static_cast<int>(todo.size()), MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  if (rank != 0) {
    plan.lock.emplace(
        io::SweepLock::join(options.directory, options.shard.index, options.shard.count));
    plan.report.planned = study.runs.size();
    plan.report.assigned = counts[1];
    plan.report.skipped = counts[2];
    plan.report.recovered = counts[3];
    for (const unsigned long long i : todo)
      plan.todo.push_back(&study.runs[i]);
  }
  return plan;
}

}  // namespace

namespace {

/// Rank 0's side of the sweep: hands out runs to every rank that asks, counts what they ran,
/// and computes runs of its own.
class Dispatcher {
 public:
  Dispatcher(const scenario::Study& study, const SweepOptions& options, SweepPlan& plan, int size)
      : study_(study),
        options_(options),
        plan_(plan),
        size_(size),
        total_(static_cast<long long>(plan.todo.size())) {}

  /// Serves from a thread while computing too (or only serves without thread support), until
  /// every other rank has been told there is nothing left, even after a failure, so that no
  /// rank waits forever. Throws this rank's failure, or another rank's.
  void run(bool serve_and_compute, SweepReport& report) {
    std::exception_ptr failure;
    std::thread server;
    if (serve_and_compute) server = std::thread([this] { serve(); });
    try {
      if (serve_and_compute || size_ == 1) {
        run_worker(
            study_, options_, plan_, 0,
            [&]() -> std::optional<std::size_t> {
              const long long i = next_.fetch_add(1);
              return i < total_ ? std::optional(static_cast<std::size_t>(i)) : std::nullopt;
            },
            [&](const io::RunRecord& r) {
              count(r.status == "ok" ? 1 : 0, r.status == "ok" ? 0 : 1);
            },
            report);
      } else {
        serve();
      }
    } catch (...) {
      failure = std::current_exception();
      next_ = total_;  // the server tells the other ranks to stop
    }
    if (server.joinable()) server.join();
    if (failure) std::rethrow_exception(failure);
    if (!other_failure_.empty()) throw std::runtime_error(other_failure_);
  }

  std::size_t done() const { return done_; }
  std::size_t failed() const { return failed_; }

 private:
  void count(std::size_t ok, std::size_t failed) {
    if (ok + failed == 0) return;
    const std::lock_guard lock(mutex_);
    done_ += ok + failed;
    failed_ += failed;
    if (options_.progress) options_.progress(done_, failed_, plan_.todo.size());
  }

  void serve() {
    int finished_ranks = 0;
    while (finished_ranks < size_ - 1) {
      // OpenMPI's blocking receive spins; probing with short sleeps leaves the core to the
      // worker on this rank.
      int waiting = 0;
      MPI_Status status;
      for (MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &waiting, &status); !waiting;
           MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &waiting, &status))
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      int request[3] = {0, 0, 0};
      MPI_Recv(request, 3, MPI_INT, status.MPI_SOURCE, kRequestTag, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      count(static_cast<std::size_t>(request[1]), static_cast<std::size_t>(request[2]));
      if (request[0] == kRanFailed) note_failure(status.MPI_SOURCE);
      long long chunk[2] = {0, 0};
      if (request[0] != kRanFailed) chunk[0] = take(chunk[1]);
      if (chunk[1] == 0) ++finished_ranks;
      MPI_Send(chunk, 2, MPI_LONG_LONG, status.MPI_SOURCE, kReplyTag, MPI_COMM_WORLD);
    }
  }

  /// Takes the next chunk of runs for a rank that asks: its first index, and its size in
  /// `count` (0 when none are left).
  long long take(long long& count) {
    long long first = next_.load();
    for (;;) {
      const long long left = total_ - first;
      if (left <= 0) {
        count = 0;
        return first;
      }
      const auto fixed = static_cast<long long>(options_.mpi_chunk);
      count = fixed > 0 ? fixed : std::clamp(left / (2LL * size_), 1LL, kMaxChunk);
      count = std::min(count, left);
      // Rank 0's own worker takes runs from the same counter.
      if (next_.compare_exchange_weak(first, first + count)) return first;
    }
  }

  /// Receives why rank `source` stopped, and hands out nothing more: the sweep stops, to be
  /// resumed.
  void note_failure(int source) {
    char why[4096] = {};
    MPI_Recv(why, sizeof why - 1, MPI_CHAR, source, kFailedTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    const std::lock_guard lock(mutex_);
    if (other_failure_.empty()) other_failure_ = "rank " + std::to_string(source) + ": " + why;
    next_ = total_;
  }

  const scenario::Study& study_;
  const SweepOptions& options_;
  SweepPlan& plan_;
  int size_;
  long long total_;
  std::atomic<long long> next_{0};
  std::mutex mutex_;
  std::size_t done_ = 0, failed_ = 0;
  std::string other_failure_;
};

}  // namespace

MpiSession::MpiSession() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
}

MpiSession::~MpiSession() {
  MPI_Finalize();
}

void mpi_barrier() {
  MPI_Barrier(MPI_COMM_WORLD);
}

void share_from_rank_zero(std::vector<double>& values, bool ok) {
  long long count = ok ? static_cast<long long>(values.size()) : -1;
  MPI_Bcast(&count, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  if (count < 0) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank != 0) throw SweepAbandoned(1);
    return;
  }
  values.resize(static_cast<std::size_t>(count));
  MPI_Bcast(values.data(), static_cast<int>(count), MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

SweepReport run_sweep_mpi(const scenario::Study& study, const SweepOptions& options, int& rank) {
  const auto start = std::chrono::steady_clock::now();
  int provided = 0;
  int initialised = 0;
  MPI_Initialized(&initialised);
  // In an MpiSession (a calibration's many sweeps), MPI outlives this sweep.
  const bool own = initialised == 0;
  if (own)
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided);
  else
    MPI_Query_thread(&provided);
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  std::exception_ptr failure;
  SweepPlan plan = plan_on_rank_zero(study, options, rank, failure);
  if (failure) {
    if (own) MPI_Finalize();
    std::rethrow_exception(failure);
  }
  SweepReport report = plan.report;
  plan.workers = static_cast<unsigned>(size);
  std::mutex progress_mutex;
  std::size_t done = 0;
  std::size_t failed = 0;
  try {
    if (rank == 0) {
      Dispatcher dispatcher(study, options, plan, size);
      try {
        dispatcher.run(provided >= MPI_THREAD_MULTIPLE, report);
      } catch (...) {
        failure = std::current_exception();
      }
      done = dispatcher.done();
      failed = dispatcher.failed();
      if (!failure) finish_sweep(plan, options);
    } else {
      run_follower(study, options, plan, rank, progress_mutex, done, failed, report);
    }
  } catch (...) {
    if (!failure) failure = std::current_exception();
  }
  // A rank that failed after its last request (publishing its last batch) could not say so
  // then: every rank says now whether it failed, so rank 0 does not report success.
  int failed_here = failure ? 1 : 0;
  int failed_anywhere = 0;
  MPI_Allreduce(&failed_here, &failed_anywhere, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (rank == 0 && failed_anywhere && !failure)
    failure = std::make_exception_ptr(std::runtime_error(
        "a rank failed after its last run, publishing its results (they are in its journal): "
        "resume the sweep"));
  // Every request carries the outcomes of the sender's runs since its previous request (the
  // last ones too, with the request that is refused), so rank 0's count covers every rank.
  report.done = done;
  report.failed = failed;
  plan.lock.reset();
  if (own) MPI_Finalize();
  if (failure) std::rethrow_exception(failure);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace interdict::experiment
