// Commands: the interdict subcommands, callable without a process (tests use them directly).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "experiment/Sweep.hpp"

namespace interdict::cli {

/// Exit status of every command: 0 ok, 1 runtime failure, 2 bad input or usage.
enum ExitCode : int { kOk = 0, kRuntimeFailure = 1, kBadInput = 2 };

struct RunOptions {
  std::string scenario{};
  std::string output{};  // empty: results/<scenario file stem>.h5
  std::optional<std::uint64_t> seed{};
  std::uint64_t replicate = 0;
  bool quiet = false;
  unsigned threads = 0;                  // 0: one per core
  std::vector<std::string> overrides{};  // --set KEY=VALUE
};

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);
int validate_command(const std::string& scenario, const std::vector<std::string>& overrides,
                     std::ostream& out, std::ostream& err);
int inspect_command(const std::string& result, bool json, std::ostream& out, std::ostream& err);
int keys_command(bool markdown, std::ostream& out);

/// The time series ("series") or end-of-run values ("summary") the model declares, as the
/// Markdown table docs/output-format.md holds between its `<!-- generated: KIND -->` markers.
std::string metrics_markdown(const std::string& kind);
/// `interdict metrics`: every series and summary value with unit and meaning.
int metrics_command(bool markdown, std::ostream& out);

struct SweepCommandOptions {
  std::string study{};
  std::string directory{};
  unsigned workers = 0;  // 0: one per core
  std::string shard{};   // "I/N"; empty: SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT, else 0/1
  bool resume = false;
  std::size_t batch_runs = 256;
  std::size_t mpi_chunk = 0;  // 0: adaptive
};

/// A sweep's slice from "I/N", or from a SLURM job array's variables when `text` is empty, or
/// the whole plan. False, with `problem` saying why, for numbers that are not whole or do not fit.
bool parse_shard(const std::string& text, experiment::Shard& shard, std::string& problem);

struct CalibrateCommandOptions {
  std::string calibration{};
  std::string directory{};
  unsigned workers = 0;  // 0: one per core
  std::string shard{};   // as for sweep
  bool resume = false;
};

/// `interdict calibrate`: ABC-SMC of a calibration file into a directory.
int calibrate_command(const CalibrateCommandOptions& options, std::ostream& out, std::ostream& err);

struct PlanCommandOptions {
  std::string study{};
  bool list = false;
  std::string run_key{};     // print the command that repeats this run
  std::string write_path{};  // write the plan (manifest layout) here
};

int plan_command(const PlanCommandOptions& options, std::ostream& out, std::ostream& err);
int sweep_command(const SweepCommandOptions& options, std::ostream& out, std::ostream& err);
int merge_command(const std::string& directory, const std::string& output, std::ostream& out,
                  std::ostream& err);

struct NetworkCommandOptions {
  std::string file{};
  std::string format{};  // edgelist, adjacency, graphml; empty: detect
  bool directed = false;
  bool weighted = false;
  std::string measure{};        // print every node's value of this centrality
  std::string fragmentation{};  // print the removal curve of this targeting strategy
  bool recompute = false;       // with fragmentation: re-rank after every removal
  std::uint64_t seed = 1;       // for the random strategy
  double katz_alpha = 0.1;
  bool json = false;
};

int network_command(const NetworkCommandOptions& options, std::ostream& out, std::ostream& err);

/// "interdict 0.1.0 (git abc123)".
std::string version_string();

}  // namespace interdict::cli
