// phold: PHOLD on the engine and on two bare queues side by side, one line of figures each.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "AllocationCounter.hpp"
#include "BarePhold.hpp"
#include "Phold.hpp"

namespace {

using interdict::bench::PholdConfig;

/// What one run of one variant measured.
struct Figures {
  std::uint64_t events = 0;
  double seconds = 0.0;
  double cpu_seconds = 0.0;
  long peak_rss_kib = 0;
  std::uint64_t heap_peak_bytes = 0;  // above what was live when the run started
};

const std::vector<std::string> kVariants = {"engine", "calendar", "heap"};

double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

std::uint64_t run_workload(const std::string& variant, const PholdConfig& config) {
  using namespace interdict::bench;
  if (variant == "engine") return run_phold(config);
  if (variant == "calendar") return run_bare_phold<BareCalendarQueue>(config);
  return run_bare_phold<BareQuaternaryHeap>(config);
}

Figures run_variant(const std::string& variant, const PholdConfig& config) {
  interdict::bench::reset_peak_heap_bytes();
  const std::uint64_t live_before = interdict::bench::live_heap_bytes();
  const double cpu_start = cpu_now();
  const auto start = std::chrono::steady_clock::now();
  Figures f;
  f.events = run_workload(variant, config);
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  f.cpu_seconds = cpu_now() - cpu_start;
  f.heap_peak_bytes = interdict::bench::peak_heap_bytes() - live_before;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  f.peak_rss_kib = usage.ru_maxrss;
  return f;
}

// The value of `key=` in a line of figures, or 0.
double field(const std::string& line, const std::string& key) {
  const std::size_t at = line.find(" " + key + "=");
  return at == std::string::npos ? 0.0 : std::strtod(line.c_str() + at + key.size() + 2, nullptr);
}

// Runs the variant in a process of its own (this program, exec'd with --variant), exactly as
// if run alone, so that its peak RSS is its own; returns its figures.
Figures run_in_child(const std::string& variant, const PholdConfig& c) {
  const auto number = [](double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", x);
    return std::string(text);
  };
  const std::vector<std::string> args = {"phold",
                                         "--variant",
                                         variant,
                                         "--lps",
                                         number(c.lps),
                                         "--events-per-lp",
                                         number(c.events_per_lp),
                                         "--end",
                                         number(c.end),
                                         "--lookahead",
                                         number(c.lookahead),
                                         "--mean",
                                         number(c.mean),
                                         "--remote",
                                         number(c.remote),
                                         "--seed",
                                         std::to_string(c.seed)};
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(fds[1], 1);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char buffer[512];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
    line.append(buffer, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || line.empty())
    throw std::runtime_error("the " + variant + " run failed");
  Figures f;
  f.events = static_cast<std::uint64_t>(field(line, "events"));
  f.seconds = field(line, "seconds");
  f.cpu_seconds = field(line, "cpu_seconds");
  f.peak_rss_kib = static_cast<long>(field(line, "peak_rss_kib"));
  f.heap_peak_bytes = static_cast<std::uint64_t>(field(line, "heap_peak_bytes"));
  return f;
}

void print(const std::string& variant, const Figures& f, std::uint64_t pending) {
  std::printf(
      "variant=%s events=%llu seconds=%.3f cpu_seconds=%.3f events_per_second=%.0f "
      "events_per_cpu_second=%.0f peak_rss_kib=%ld heap_peak_bytes=%llu pending=%llu "
      "bytes_per_pending=%.1f\n",
      variant.c_str(), static_cast<unsigned long long>(f.events), f.seconds, f.cpu_seconds,
      static_cast<double>(f.events) / f.seconds, static_cast<double>(f.events) / f.cpu_seconds,
      f.peak_rss_kib, static_cast<unsigned long long>(f.heap_peak_bytes),
      static_cast<unsigned long long>(pending),
      static_cast<double>(f.heap_peak_bytes) / static_cast<double>(pending));
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// One line per variant over all rounds: medians of the times, the largest peaks.
void print_medians(const std::string& variant, const std::vector<Figures>& runs,
                   std::uint64_t pending) {
  std::vector<double> seconds, cpu_seconds;
  Figures m = runs.front();
  for (const Figures& f : runs) {
    seconds.push_back(f.seconds);
    cpu_seconds.push_back(f.cpu_seconds);
    m.peak_rss_kib = std::max(m.peak_rss_kib, f.peak_rss_kib);
    m.heap_peak_bytes = std::max(m.heap_peak_bytes, f.heap_peak_bytes);
  }
  m.seconds = median(seconds);
  m.cpu_seconds = median(cpu_seconds);
  std::printf("median of %zu: ", runs.size());
  print(variant, m, pending);
}

// Runs the variants in turn, `rounds` times, each in its own child process.
int run_side_by_side(const std::vector<std::string>& variants, const PholdConfig& config,
                     int rounds) {
  const std::uint64_t pending = std::uint64_t{config.lps} * config.events_per_lp;
  std::vector<std::vector<Figures>> runs(variants.size());
  for (int round = 0; round < rounds; ++round)
    for (std::size_t v = 0; v < variants.size(); ++v) {
      runs[v].push_back(run_in_child(variants[v], config));
      print(variants[v], runs[v].back(), pending);
    }
  if (rounds > 1)
    for (std::size_t v = 0; v < variants.size(); ++v)
      print_medians(variants[v], runs[v], pending);
  for (std::size_t v = 1; v < variants.size(); ++v)
    if (runs[v].front().events != runs[0].front().events) {
      std::fprintf(stderr, "phold: %s handled another number of events than %s\n",
                   variants[v].c_str(), variants[0].c_str());
      return 1;
    }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  PholdConfig c;
  std::string variant = "all";
  int rounds = 1;
  CLI::App app{"PHOLD on the interdict engine and on bare calendar-queue and 4-ary-heap loops"};
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
                 "probability that an event cancels the one handled before it (engine only)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--seed", c.seed, "random seed");
  app.add_option("--variant", variant,
                 "all (each in its own child process), or one of them in this process")
      ->check(CLI::IsMember({"all", "engine", "calendar", "heap"}));
  app.add_option("--repeat", rounds, "rounds of the variants, in turn; medians at the end")
      ->check(CLI::PositiveNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::vector<std::string> variants = kVariants;
  if (variant != "all") variants = {variant};
  if (c.cancel_handled > 0.0) variants = {"engine"};  // the bare loops do not cancel
  if (variants.size() == 1 && rounds == 1) {
    print(variants[0], run_variant(variants[0], c), std::uint64_t{c.lps} * c.events_per_lp);
    return 0;
  }
  try {
    return run_side_by_side(variants, c, rounds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "phold: %s\n", e.what());
    return 1;
  }
}
