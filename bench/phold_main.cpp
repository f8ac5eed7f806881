// phold: plain PHOLD driver printing one line of figures, comparable with other engines.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "Phold.hpp"

int main(int argc, char** argv) {
  interdict::bench::PholdConfig c;
  CLI::App app{"PHOLD on the interdict engine"};
  app.add_option("--lps", c.lps, "number of logical processes")->check(CLI::PositiveNumber);
  app.add_option("--events-per-lp", c.events_per_lp, "initial events per LP")
      ->check(CLI::PositiveNumber);
  app.add_option("--end", c.end, "end time")->check(CLI::PositiveNumber);
  app.add_option("--lookahead", c.lookahead, "minimum time increment")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--mean", c.mean, "mean of the exponential part of the increment")
      ->check(CLI::PositiveNumber);
  app.add_option("--remote", c.remote, "probability that an event goes to a random LP")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--cancel-handled", c.cancel_handled,
                 "probability that an event cancels the one handled before it")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--seed", c.seed, "random seed");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t events = interdict::bench::run_phold(c);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("events=%llu seconds=%.3f events_per_second=%.0f peak_rss_kib=%ld\n",
              static_cast<unsigned long long>(events), seconds,
              static_cast<double>(events) / seconds, usage.ru_maxrss);
  return 0;
}
