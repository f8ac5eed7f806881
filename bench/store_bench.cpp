// Publishing a study's results: one run appended to a journal, and a batch of runs written as
// an HDF5 batch file (what a sweep worker does, docs/performance.md "Sweeps"). The records are
// those of a real one-year Veracruz run, repeated under different keys.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "experiment/RunScenario.hpp"
#include "experiment/Sweep.hpp"
#include "io/RunJournal.hpp"
#include "io/StudyStore.hpp"
#include "model/NetworkTables.hpp"
#include "scenario/Scenario.hpp"

using namespace interdict;

namespace {

namespace fs = std::filesystem;

/// One run of scenarios/veracruz.toml for a year, as a sweep worker records it.
io::RunRecord veracruz_run() {
  const scenario::Scenario s = scenario::load_scenario(
      INTERDICT_SOURCE_DIR "/scenarios/veracruz.toml", {"simulation.duration=365"});
  MemoryRecorder recorder;
  recorder.skip_tables(model::kNetworkTables);
  experiment::run_scenario(s, 1, 0, recorder);
  io::RunRecord r;
  r.variant = "takedown";
  r.parameters = {{"routes.sea.exposure", "1.0"}};
  r.seed = 1;
  experiment::take_results(recorder, r);
  return r;
}

std::vector<io::RunRecord> batch(std::size_t runs) {
  const io::RunRecord one = veracruz_run();
  std::vector<io::RunRecord> out(runs, one);
  for (std::size_t i = 0; i < runs; ++i) {
    out[i].key = "run" + std::to_string(i);
    out[i].replicate = i;
  }
  return out;
}

const io::StudyInfo kStudy{"bench", "[study]\nname = \"bench\"\n", {"routes.sea.exposure"}};

fs::path scratch() {
  const fs::path dir = fs::temp_directory_path() / "interdict-store-bench";
  fs::create_directories(dir);
  return dir;
}

void BM_JournalAppend(benchmark::State& state) {
  const std::vector<io::RunRecord> runs = batch(1);
  const std::string path = (scratch() / "journal.bin").string();
  std::optional<io::RunJournal> journal(std::in_place, path);
  std::size_t appended = 0;
  for (auto _ : state) {
    journal->append(runs.front());
    if (++appended % 256 == 0) {  // as a sweep does after publishing: a fresh journal
      state.PauseTiming();
      journal->remove();
      journal.emplace(path);
      state.ResumeTiming();
    }
  }
  journal->remove();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JournalAppend)->Unit(benchmark::kMicrosecond);

void BM_WriteBatch(benchmark::State& state) {
  const std::vector<io::RunRecord> runs = batch(static_cast<std::size_t>(state.range(0)));
  const std::string path = (scratch() / "runs.h5").string();
  for (auto _ : state) {
    io::write_runs(path, kStudy, runs, /*keep=*/false);
    state.PauseTiming();  // a sweep's batches have new names: no file is replaced
    fs::remove(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WriteBatch)->Arg(16)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);

void BM_WriteMerged(benchmark::State& state) {
  const std::vector<io::RunRecord> runs = batch(static_cast<std::size_t>(state.range(0)));
  const std::string path = (scratch() / "merged.h5").string();
  for (auto _ : state) {
    io::write_runs(path, kStudy, runs, /*keep=*/true);
    state.PauseTiming();
    fs::remove(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WriteMerged)->Arg(256)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
