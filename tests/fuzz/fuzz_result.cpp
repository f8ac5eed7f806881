// fuzz_result: result and study files that are valid HDF5 with hostile contents, through every
// reader (`inspect` included). libhdf5 1.10 itself crashes on byte-damaged files and will not
// be fixed, so bytes are not fuzzed: the input is decoded into edits (attributes of any type
// and shape, datasets of any type, rank, size and layout, deleted or replaced objects) applied
// with HDF5 to a file the project's own writers made: a run's result, a sweep's batch, a
// merged study. See docs/reliability.md.
#include <hdf5.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "FuzzHdf5Edits.hpp"
#include "FuzzSupport.hpp"
#include "cli/Commands.hpp"
#include "io/FormatError.hpp"
#include "io/Hdf5Support.hpp"
#include "io/ResultReader.hpp"
#include "io/ResultWriter.hpp"
#include "io/StudyStore.hpp"
#include "model/InterventionLog.hpp"

using namespace interdict;

namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// A run's result file, as `interdict run` writes it (two series, a summary, an intervention).
std::string result_file() {
  const std::string path = (fuzz::scratch_directory() / "base-result.h5").string();
  io::ResultWriter writer(path);
  const std::vector<MetricInfo> metrics{{"delivered_kg", "kg", "delivered"},
                                        {"seized_kg", "kg", "seized"}};
  writer.declare_series(metrics);
  for (int t = 0; t < 4; ++t) {
    const std::vector<double> values{10.0 * t, t == 2 ? NAN : 1.0 * t};
    writer.sample(SimTime::days(7.0 * t), values);
  }
  writer.summary(MetricInfo{"delivered_kg", "kg", "delivered"}, 30.0);
  const model::InterventionRecord fired{14.0, "takedown", "dismantle", "relays: a", 2.0, 1e5};
  writer.table(model::intervention_log({&fired, 1}));
  io::RunInfo info;
  info.scenario_name = "fuzz";
  info.scenario_text = "[scenario]\nname = \"fuzz\"\n";
  info.seed = 7;
  writer.commit(info);
  return file_bytes(path);
}

/// Three runs of a study (one failed, one ended early), as a batch or merged (`keep`).
std::string study_file(bool keep) {
  std::vector<io::RunRecord> runs(3);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    io::RunRecord& r = runs[i];
    r.key = "k" + std::to_string(i);
    r.variant = i ? "takedown" : "no action";
    r.parameters = {{"routes.sea.exposure", i ? "0.5" : "2"}};
    r.replicate = i;
    r.seed = 100 + i;
    r.status = "ok";
    r.summary_metrics = {{"delivered_kg", "kg", ""}};
    r.summary = {1.0 * static_cast<double>(i)};
    r.time = {0.0, 7.0, 14.0};
    r.series_metrics = {{"seized_kg", "kg", "seized"}, {"known_nodes", "1", "cells"}};
    r.series = {{0.0, 1.0, 2.0}, {3.0, NAN, 3.0}};
    model::InterventionRecord fired{7.0, "t", "dismantle", "relays: a", 1.0, 2.0};
    fired.network = {{"known_nodes_after", 3.0}};
    r.interventions = model::intervention_log({&fired, 1});
  }
  runs[2].status = "failed";
  runs[2].error = "broke";
  runs[2].summary_metrics.clear();
  runs[2].summary.clear();
  runs[2].time.clear();
  runs[2].series_metrics.clear();
  runs[2].series.clear();
  const std::string path =
      (fuzz::scratch_directory() / (keep ? "base-kept.h5" : "base-batch.h5")).string();
  io::write_runs(path, io::StudyInfo{"fuzz", "[study]\nname = \"fuzz\"\n", {"routes.sea.exposure"}},
                 runs, keep);
  return file_bytes(path);
}

const std::vector<std::string>& base_files() {
  static const std::vector<std::string> bases{study_file(false), study_file(true), result_file()};
  return bases;
}

/// Every reader of result and study files, as inspect, merge and resume use them: each may
/// refuse the file (FormatError), none may crash.
void read_every_way(const std::string& path) {
  io::is_study_file(path);
  for (bool with_series : {false, true}) {
    try {
      io::read_runs(path, with_series);
    } catch (const io::FormatError&) {
    }
  }
  try {
    io::read_study_info(path);
    io::read_run_status(path);
    io::read_series(path, "seized_kg");
  } catch (const io::FormatError&) {
  }
  try {
    io::read_result(path);
  } catch (const io::FormatError&) {
  }
  for (bool json : {false, true}) {
    std::ostringstream out, err;
    cli::inspect_command(path, json, out, err);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  io::silence_hdf5_errors();
  fuzz::Choices choices(data, size);
  const std::string& base = base_files()[choices.pick(base_files().size())];
  const std::string path = fuzz::write_scratch_file("fuzz.h5", base);
  fuzz::apply_hdf5_edits(path, choices);
  read_every_way(path);
  return 0;
}
