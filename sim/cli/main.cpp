// interdict: command-line entry point.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/Commands.hpp"
#include "io/ResultWriter.hpp"

int main(int argc, char** argv) {
  using namespace interdict::cli;
  interdict::io::detach_hdf5_from_exit();
  CLI::App app{
      "interdict: discrete-event simulation of drug-trafficking networks and their disruption"};
  app.set_version_flag("--version", version_string());
  app.require_subcommand(1);

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario and write its results to HDF5");
  run_cmd->add_option("scenario", run.scenario, "scenario TOML file")->required();
  run_cmd->add_option("-o,--output", run.output,
                      "result file (default results/<scenario name>.h5)");
  run_cmd->add_option("--seed", run.seed, "random seed (default: simulation.seed of the scenario)");
  run_cmd->add_option("--replicate", run.replicate, "replicate number (default 0)");
  run_cmd->add_flag("-q,--quiet", run.quiet, "print nothing on success");
  run_cmd->add_option("--set", run.overrides,
                      "override a scenario key: KEY=VALUE (TOML value), repeatable");

  std::string scenario;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario file without running it");
  validate_cmd->add_option("scenario", scenario, "scenario TOML file")->required();
  std::vector<std::string> validate_overrides;
  validate_cmd->add_option("--set", validate_overrides,
                           "override a scenario key: KEY=VALUE, repeatable");

  std::string result;
  bool json = false;
  auto* inspect_cmd = app.add_subcommand("inspect", "Summarise a result file");
  inspect_cmd->add_option("result", result, "HDF5 result file")->required();
  inspect_cmd->add_flag("--json", json, "machine-readable output");

  bool markdown = false;
  auto* keys_cmd =
      app.add_subcommand("keys", "List every scenario key with unit, default and range");
  keys_cmd->add_flag("--markdown", markdown, "as the Markdown table of docs/scenario-reference.md");

  bool metrics_markdown = false;
  auto* metrics_cmd = app.add_subcommand(
      "metrics", "List every time series and end-of-run value a run records, with units");
  metrics_cmd->add_flag("--markdown", metrics_markdown,
                        "as the tables of docs/output-format.md, between their markers");

  std::string study;
  bool list = false;
  auto* plan_cmd =
      app.add_subcommand("plan", "Expand a study file and print its runs without running them");
  plan_cmd->add_option("study", study, "study TOML file")->required();
  plan_cmd->add_flag("--list", list, "print every run: key, variant, replicate, seed, parameters");
  std::string run_key;
  plan_cmd
      ->add_option("--command", run_key,
                   "print the `interdict run` command that repeats run KEY alone")
      ->option_text("KEY");

  NetworkCommandOptions network;
  auto* network_cmd = app.add_subcommand(
      "network", "Analyse a network file: counts and components, centralities, fragmentation");
  network_cmd->add_option("file", network.file, "edge list CSV, adjacency CSV or GraphML")
      ->required();
  network_cmd->add_option("--format", network.format,
                          "edgelist, adjacency or graphml (default: from the file)");
  network_cmd->add_flag("--directed", network.directed, "treat ties as directed");
  network_cmd->add_flag("--weighted", network.weighted,
                        "use tie weights (lengths for betweenness and closeness)");
  network_cmd->add_option("--measure", network.measure,
                          "print every node's degree, betweenness, closeness, eigenvector or katz");
  network_cmd->add_option("--fragmentation", network.fragmentation,
                          "remove nodes by a strategy (random, degree, betweenness, closeness, "
                          "eigenvector, katz, key-player) and print the largest component");
  network_cmd->add_flag("--recompute", network.recompute,
                        "with --fragmentation: rank again after every removal");
  network_cmd->add_option("--seed", network.seed, "seed of the random strategy (default 1)");
  network_cmd->add_option("--katz-alpha", network.katz_alpha, "Katz attenuation (default 0.1)");
  network_cmd->add_flag("--json", network.json, "machine-readable output");

  SweepCommandOptions sweep;
  auto* sweep_cmd =
      app.add_subcommand("sweep", "Run every run of a study, publishing results in batches");
  sweep_cmd->add_option("study", sweep.study, "study TOML file")->required();
  sweep_cmd->add_option("-o,--output", sweep.directory, "results directory")->required();
  sweep_cmd->add_option("--workers", sweep.workers, "worker threads (default: one per core)");
  sweep_cmd->add_option(
      "--shard", sweep.shard,
      "run only slice I of N (default: SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT)");
  sweep_cmd->add_flag("--resume", sweep.resume, "skip runs already published in the directory");
  sweep_cmd->add_option("--batch-runs", sweep.batch_runs, "runs per published batch file")
      ->check(CLI::PositiveNumber);

  std::string directory;
  std::string merged;
  auto* merge_cmd =
      app.add_subcommand("merge", "Check a sweep directory is complete and merge it into one file");
  merge_cmd->add_option("directory", directory, "sweep results directory")->required();
  merge_cmd->add_option("-o,--output", merged, "merged file (default DIRECTORY/merged.h5)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);  // prints help, version or the usage error
    return status == 0 ? kOk : kBadInput;
  }
  if (*run_cmd) return run_command(run, std::cout, std::cerr);
  if (*validate_cmd) return validate_command(scenario, validate_overrides, std::cout, std::cerr);
  if (*inspect_cmd) return inspect_command(result, json, std::cout, std::cerr);
  if (*network_cmd) return network_command(network, std::cout, std::cerr);
  if (*keys_cmd) return keys_command(markdown, std::cout);
  if (*metrics_cmd) return metrics_command(metrics_markdown, std::cout);
  if (*plan_cmd) return plan_command(study, list, run_key, std::cout, std::cerr);
  if (*sweep_cmd) return sweep_command(sweep, std::cout, std::cerr);
  if (*merge_cmd) return merge_command(directory, merged, std::cout, std::cerr);
  return kBadInput;
}
