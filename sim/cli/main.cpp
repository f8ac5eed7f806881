// interdict: command-line entry point. Each subcommand's options are declared in a function of
// its own, which also says what to run once the line is parsed.
#include <functional>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "cli/Commands.hpp"
#include "io/ResultWriter.hpp"

namespace {

using namespace interdict::cli;
using Command = std::function<int()>;

/// Declares a subcommand whose options live in a `Options` kept alive by the returned command.
template <class Options>
std::shared_ptr<Options> subcommand(CLI::App& app, const char* name, const char* help,
                                    CLI::App*& sub, Command& command,
                                    std::function<int(const Options&)> run) {
  auto options = std::make_shared<Options>();
  sub = app.add_subcommand(name, help);
  sub->callback([&command, options, run] { command = [options, run] { return run(*options); }; });
  return options;
}

void add_run(CLI::App& app, Command& command) {
  CLI::App* sub = nullptr;
  auto o = subcommand<RunOptions>(
      app, "run", "Run a scenario and write its results to HDF5", sub, command,
      [](const RunOptions& options) { return run_command(options, std::cout, std::cerr); });
  sub->add_option("scenario", o->scenario, "scenario TOML file")->required();
  sub->add_option("-o,--output", o->output, "result file (default results/<scenario name>.h5)");
  sub->add_option("--seed", o->seed, "random seed (default: simulation.seed of the scenario)");
  sub->add_option("--replicate", o->replicate, "replicate number (default 0)");
  sub->add_flag("-q,--quiet", o->quiet, "print nothing on success");
  sub->add_option("--threads", o->threads,
                  "threads sharing sampled network measures, which do not depend on it "
                  "(default: one per core)");
  sub->add_option("--set", o->overrides,
                  "override a scenario key: KEY=VALUE (TOML value), repeatable");
}

struct PathOptions {
  std::string path;
  std::vector<std::string> overrides;
  std::string output;
  bool flag = false;
};

void add_validate_and_inspect(CLI::App& app, Command& command) {
  CLI::App* validate = nullptr;
  auto v =
      subcommand<PathOptions>(app, "validate", "Check a scenario file without running it", validate,
                              command, [](const PathOptions& o) {
                                return validate_command(o.path, o.overrides, std::cout, std::cerr);
                              });
  validate->add_option("scenario", v->path, "scenario TOML file")->required();
  validate->add_option("--set", v->overrides, "override a scenario key: KEY=VALUE, repeatable");
  CLI::App* inspect = nullptr;
  auto i = subcommand<PathOptions>(
      app, "inspect", "Summarise a result file", inspect, command,
      [](const PathOptions& o) { return inspect_command(o.path, o.flag, std::cout, std::cerr); });
  inspect->add_option("result", i->path, "HDF5 result file")->required();
  inspect->add_flag("--json", i->flag, "machine-readable output");
}

void add_listings(CLI::App& app, Command& command) {
  CLI::App* keys = nullptr;
  auto k = subcommand<PathOptions>(
      app, "keys", "List every scenario key with unit, default and range", keys, command,
      [](const PathOptions& o) { return keys_command(o.flag, std::cout); });
  keys->add_flag("--markdown", k->flag, "as the Markdown table of docs/scenario-reference.md");
  CLI::App* metrics = nullptr;
  auto m = subcommand<PathOptions>(
      app, "metrics", "List every time series and end-of-run value a run records, with units",
      metrics, command, [](const PathOptions& o) { return metrics_command(o.flag, std::cout); });
  metrics->add_flag("--markdown", m->flag,
                    "as the tables of docs/output-format.md, between their markers");
}

void add_plan(CLI::App& app, Command& command) {
  CLI::App* sub = nullptr;
  auto o = subcommand<PlanCommandOptions>(
      app, "plan", "Expand a study file and print its runs without running them", sub, command,
      [](const PlanCommandOptions& p) { return plan_command(p, std::cout, std::cerr); });
  sub->add_option("study", o->study, "study TOML file")->required();
  sub->add_flag("--list", o->list,
                "print every run: key, variant, replicate, seed, design place, parameters");
  sub->add_option("--command", o->run_key,
                  "print the `interdict run` command that repeats run KEY alone")
      ->option_text("KEY");
  sub->add_option("--write", o->write_path,
                  "write the plan (every run, its parameters and design place) to FILE in the "
                  "layout of a sweep's manifest.h5, without running")
      ->option_text("FILE");
}

void add_network(CLI::App& app, Command& command) {
  CLI::App* sub = nullptr;
  auto o = subcommand<NetworkCommandOptions>(
      app, "network", "Analyse a network file: counts and components, centralities, fragmentation",
      sub, command,
      [](const NetworkCommandOptions& n) { return network_command(n, std::cout, std::cerr); });
  sub->add_option("file", o->file, "edge list CSV, adjacency CSV or GraphML")->required();
  sub->add_option("--format", o->format, "edgelist, adjacency or graphml (default: from the file)");
  sub->add_flag("--directed", o->directed, "treat ties as directed");
  sub->add_flag("--weighted", o->weighted,
                "use tie weights (lengths for betweenness and closeness)");
  sub->add_option("--measure", o->measure,
                  "print every node's degree, betweenness, closeness, eigenvector or katz");
  sub->add_option("--fragmentation", o->fragmentation,
                  "remove nodes by a strategy (random, degree, betweenness, closeness, "
                  "eigenvector, katz, key-player) and print the largest component");
  sub->add_flag("--recompute", o->recompute,
                "with --fragmentation: rank again after every removal (key-player always does)");
  sub->add_option("--seed", o->seed, "seed of the random strategy (default 1)");
  sub->add_option("--katz-alpha", o->katz_alpha, "Katz attenuation (default 0.1)");
  sub->add_flag("--json", o->json, "machine-readable output");
}

void add_sweep_and_merge(CLI::App& app, Command& command) {
  CLI::App* sweep = nullptr;
  auto s = subcommand<SweepCommandOptions>(
      app, "sweep", "Run every run of a study, publishing results in batches", sweep, command,
      [](const SweepCommandOptions& o) { return sweep_command(o, std::cout, std::cerr); });
  sweep->add_option("study", s->study, "study TOML file")->required();
  sweep->add_option("-o,--output", s->directory, "results directory")->required();
  sweep->add_option("--workers", s->workers, "worker threads (default: one per core)");
  sweep->add_option(
      "--shard", s->shard,
      "run only slice I of N (default: SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT)");
  sweep->add_flag("--resume", s->resume, "skip runs already published in the directory");
  sweep->add_option("--batch-runs", s->batch_runs, "runs per published batch file")
      ->check(CLI::PositiveNumber);
  sweep
      ->add_option("--chunk", s->mpi_chunk,
                   "under MPI, runs handed to a rank at once (default: adaptive, 1 to 64)")
      ->check(CLI::Range(1, 1000000));
  CLI::App* merge = nullptr;
  auto m = subcommand<PathOptions>(
      app, "merge", "Check a sweep directory is complete and merge it into one file", merge,
      command,
      [](const PathOptions& o) { return merge_command(o.path, o.output, std::cout, std::cerr); });
  merge->add_option("directory", m->path, "sweep results directory")->required();
  merge->add_option("-o,--output", m->output, "merged file (default DIRECTORY/merged.h5)");
}

void add_calibrate(CLI::App& app, Command& command) {
  CLI::App* sub = nullptr;
  auto o = subcommand<CalibrateCommandOptions>(
      app, "calibrate",
      "Fit a scenario's free parameters to observed statistics (ABC-SMC, docs/calibration.md)", sub,
      command,
      [](const CalibrateCommandOptions& c) { return calibrate_command(c, std::cout, std::cerr); });
  sub->add_option("calibration", o->calibration, "calibration TOML file")->required();
  sub->add_option("-o,--output", o->directory, "calibration directory")->required();
  sub->add_option("--workers", o->workers, "worker threads (default: one per core)");
  sub->add_option("--shard", o->shard,
                  "SLURM array task I of N: run slice I of every batch, then help with the rest "
                  "(default: SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT)");
  sub->add_flag("--resume", o->resume, "continue the calibration the directory holds");
}

}  // namespace

int main(int argc, char** argv) {
  interdict::io::detach_hdf5_from_exit();
  CLI::App app{
      "interdict: discrete-event simulation of drug-trafficking networks and their disruption"};
  app.set_version_flag("--version", version_string());
  app.require_subcommand(1);
  Command command;
  add_run(app, command);
  add_validate_and_inspect(app, command);
  add_listings(app, command);
  add_plan(app, command);
  add_network(app, command);
  add_sweep_and_merge(app, command);
  add_calibrate(app, command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);  // prints help, version or the usage error
    return status == 0 ? kOk : kBadInput;
  }
  return command ? command() : kBadInput;
}
