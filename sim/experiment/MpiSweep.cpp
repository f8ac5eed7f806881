// MpiSweep: dynamic distribution of a study's runs over the ranks of an MPI job.
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "experiment/Sweep.hpp"
#include "io/StudyStore.hpp"

namespace interdict::experiment {

namespace {

constexpr int kRequestTag = 1;  // worker -> rank 0: 1 if it finished a run since its last request
constexpr int kReplyTag =
    2;  // rank 0 -> worker: index into the plan, or -1 when all are handed out

}  // namespace

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* size = std::getenv(name); size != nullptr && std::atoi(size) > 1) return true;
  return false;
}

SweepReport run_sweep_mpi(const scenario::Study& study, const SweepOptions& options, int& rank) {
  const auto start = std::chrono::steady_clock::now();
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided);
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  // Rank 0 writes the manifest first; the others wait, then every rank plans the same list.
  SweepPlan plan;
  if (rank == 0) plan = plan_sweep(study, options);
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank != 0) plan = plan_sweep(study, options);
  SweepReport report = plan.report;
  plan.workers = static_cast<unsigned>(size);
  const auto total = static_cast<long long>(plan.todo.size());

  std::atomic<long long> next{0};
  std::mutex progress_mutex;
  std::size_t done = 0;
  std::size_t failed = 0;
  const auto count = [&](bool ok) {
    const std::lock_guard lock(progress_mutex);
    ++done;
    if (!ok) ++failed;
    if (rank == 0 && options.progress) options.progress(done, failed, plan.todo.size());
  };

  // Rank 0 serves the other ranks from a thread while its main thread computes too; without
  // thread support it only serves.
  const bool serve_and_compute = provided >= MPI_THREAD_MULTIPLE;
  const auto serve = [&] {
    int finished_ranks = 0;
    while (finished_ranks < size - 1) {
      // OpenMPI's blocking receive spins; probing with short sleeps leaves the core to the
      // worker on this rank.
      int waiting = 0;
      MPI_Status status;
      for (MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &waiting, &status); !waiting;
           MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &waiting, &status))
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      int ran = 0;
      MPI_Recv(&ran, 1, MPI_INT, status.MPI_SOURCE, kRequestTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (ran) count(ran > 0);
      long long i = next.fetch_add(1);
      if (i >= total) {
        i = -1;
        ++finished_ranks;
      }
      MPI_Send(&i, 1, MPI_LONG_LONG, status.MPI_SOURCE, kReplyTag, MPI_COMM_WORLD);
    }
  };

  if (rank == 0) {
    std::thread server;
    if (serve_and_compute) server = std::thread(serve);
    if (serve_and_compute || size == 1) {
      run_worker(
          study, options, plan, 0,
          [&]() -> std::optional<std::size_t> {
            const long long i = next.fetch_add(1);
            return i < total ? std::optional(static_cast<std::size_t>(i)) : std::nullopt;
          },
          [&](const io::RunRecord& r) { count(r.status == "ok"); }, report);
    } else {
      serve();
    }
    if (server.joinable()) server.join();
  } else {
    int last = 0;  // +1 finished ok, -1 failed, 0 nothing yet
    run_worker(
        study, options, plan, static_cast<unsigned>(rank),
        [&]() -> std::optional<std::size_t> {
          long long i = -1;
          MPI_Send(&last, 1, MPI_INT, 0, kRequestTag, MPI_COMM_WORLD);
          MPI_Recv(&i, 1, MPI_LONG_LONG, 0, kReplyTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          last = 0;
          return i >= 0 ? std::optional(static_cast<std::size_t>(i)) : std::nullopt;
        },
        [&](const io::RunRecord& r) {
          last = r.status == "ok" ? 1 : -1;
          const std::lock_guard lock(progress_mutex);
          ++done;
          if (r.status != "ok") ++failed;
        },
        report);
  }
  // Every request carries the outcome of the sender's previous run (the last one too, with
  // the request that is refused), so rank 0's count covers every rank.
  report.done = done;
  report.failed = failed;
  MPI_Finalize();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace interdict::experiment
