// Commands: run, validate, inspect and keys, with their error handling and output.
#include "cli/Commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "cli/Json.hpp"
#include "core/Version.hpp"
#include "experiment/RunScenario.hpp"
#include "experiment/Sweep.hpp"
#include "io/FormatError.hpp"
#include "io/ResultReader.hpp"
#include "io/ResultWriter.hpp"
#include "model/TraffickingModel.hpp"
#include "scenario/InputError.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioKeys.hpp"
#include "scenario/Study.hpp"

namespace interdict::cli {

namespace {

/// `text` as one POSIX shell word.
std::string shell_quoted(const std::string& text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("/._-+=,:", c) != nullptr;
  });
  if (plain) return text;
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string default_output(const std::string& scenario_path) {
  return (std::filesystem::path("results") / std::filesystem::path(scenario_path).stem()).string() +
         ".h5";
}

/// How enforcement met the network: hand-offs by channel and the calls intercepted, time without
/// command, raids. Only what the run recorded (output.series may leave series out).
/// "  interventions      ID (day D), ID (days D-E, N times), ...": what fired, in order.
void print_interventions(std::ostream& out, const MemoryRecorder& data) {
  for (const Table& t : data.tables()) {
    if (t.name != "interventions") continue;
    const auto column = [&](const char* name) -> const Column* {
      for (const Column& c : t.columns)
        if (c.name == name) return &c;
      return nullptr;
    };
    const Column* id = column("id");
    const Column* time = column("time");
    if (id == nullptr || time == nullptr || !id->text || id->strings.empty()) return;
    struct Fired {
      std::string id;
      double first, last;
      std::size_t times;
    };
    std::vector<Fired> fired;
    for (std::size_t i = 0; i < id->strings.size() && i < time->numbers.size(); ++i) {
      auto it = std::find_if(fired.begin(), fired.end(),
                             [&](const Fired& f) { return f.id == id->strings[i]; });
      if (it == fired.end()) {
        fired.push_back({id->strings[i], time->numbers[i], time->numbers[i], 1});
      } else {
        it->last = time->numbers[i];
        ++it->times;
      }
    }
    out << "  interventions      " << std::setprecision(0);
    for (std::size_t i = 0; i < fired.size(); ++i) {
      const Fired& f = fired[i];
      out << (i ? ", " : "") << f.id << " (day" << (f.times > 1 ? "s " : " ") << f.first;
      if (f.times > 1) out << "-" << f.last << ", " << f.times << " times";
      out << ")";
    }
    out << "\n";
  }
}

void print_enforcement(std::ostream& out, const MemoryRecorder& data, double sample_interval) {
  const auto* radio = data.find_values("handoffs_radio");
  const auto* fallback = data.find_values("handoffs_fallback");
  const auto* leaks = data.find_values("leaks");
  if (radio && fallback && leaks && !radio->empty())
    out << "  hand-offs          " << radio->back() << " over radio, " << fallback->back()
        << " over phones (" << leaks->back() << " intercepted)\n";
  if (const auto* headless = data.find_values("headless_organisations")) {
    double days = 0.0;  // organisation-days, from the samples
    for (double h : *headless)
      days += h * sample_interval;
    if (days > 0.0) out << "  without command    " << days << " organisation-days\n";
  }
  if (const double raids = data.summary_value("stash_raids"); raids > 0.0)
    out << "  raids on stashes   " << raids << " (" << data.summary_value("stash_seized_kg")
        << " kg seized)\n";
  print_interventions(out, data);
}

void print_run_summary(std::ostream& out, const scenario::Scenario& s, std::uint64_t seed,
                       std::uint64_t replicate, const experiment::RunReport& report,
                       const MemoryRecorder& data, const std::string& path) {
  const auto value = [&](const char* name) { return data.summary_value(name); };
  out << version_string() << "\n"
      << "scenario  " << s.name << " (" << s.path << "), seed " << seed << ", replicate "
      << replicate << "\n"
      << "simulated " << report.simulated_days << " days: " << report.events_handled
      << " events in " << std::fixed;
  const auto duration = [&](double seconds) {
    if (seconds < 1.0) {
      out << std::setprecision(1) << seconds * 1e3 << " ms";
    } else {
      out << std::setprecision(2) << seconds << " s";
    }
  };
  duration(report.wall_seconds);
  out << " (event loop ";
  duration(report.loop_seconds);
  out << std::setprecision(2) << ", "
      << static_cast<double>(report.events_handled) / report.loop_seconds / 1e6
      << " million events/s; model set-up ";
  duration(report.setup_seconds);
  out << ")\n\n";
  out << std::setprecision(0);
  out << "                      kg   shipments\n";
  struct Row {
    const char* label;
    const char* kg;
    const char* count;
  };
  const Row rows[] = {{"produced", "produced_kg", "shipments_produced"},
                      {"delivered", "delivered_kg", "shipments_delivered"},
                      {"seized", "seized_kg", "shipments_seized"},
                      {"in transit", "in_transit_kg", "shipments_in_transit"}};
  for (const Row& row : rows)
    out << "  " << std::left << std::setw(12) << row.label << std::right << std::setw(10)
        << value(row.kg) << std::setw(12) << value(row.count) << "\n";
  const double fraction = data.summary_value("seizure_fraction");
  out << "\n  seizure fraction   ";
  if (std::isfinite(fraction)) {
    out << std::setprecision(1) << 100.0 * fraction << " %\n";
  } else {
    out << "n/a\n";
  }
  out << "  revenue            " << std::setprecision(1) << data.summary_value("revenue_usd") / 1e6
      << " million USD\n";
  const double delivery = value("mean_delivery_days");
  out << "  mean delivery time ";
  if (std::isfinite(delivery)) {
    out << std::setprecision(2) << delivery << " days\n";
  } else {
    out << "n/a (nothing delivered)\n";
  }
  out << std::setprecision(0);
  print_enforcement(out, data, s.model.sample_interval_days);
  out << "\nresults   " << path << "\n";
  out.unsetf(std::ios::floatfield);
}

}  // namespace

std::string version_string() {
  return std::string("interdict ") + kVersion + " (git " + kGitCommit + ")";
}

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err) {
  scenario::Scenario s;
  try {
    s = scenario::load_scenario(options.scenario, options.overrides);
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  }
  const std::string path =
      options.output.empty() ? default_output(options.scenario) : options.output;
  const std::uint64_t seed = options.seed.value_or(s.seed);
  try {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    io::ResultWriter writer(path);
    const unsigned threads =
        options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const experiment::RunReport report =
        experiment::run_scenario(s, seed, options.replicate, writer, threads);
    const io::RunInfo info = experiment::run_info(s, seed, options.replicate, report);
    // The summary is made before the file is published, so a run that fails leaves no file.
    std::ostringstream summary;
    if (!options.quiet)
      print_run_summary(summary, s, seed, options.replicate, report, writer, path);
    writer.commit(info);
    out << summary.str();
  } catch (const std::exception& e) {
    err << "error: run of " << options.scenario << " failed: " << e.what() << "\n";
    return kRuntimeFailure;
  }
  return kOk;
}

int validate_command(const std::string& scenario_path, const std::vector<std::string>& overrides,
                     std::ostream& out, std::ostream& err) {
  try {
    const scenario::Scenario s = scenario::load_scenario(scenario_path, overrides);
    out << scenario_path << ": ok (places " << s.model.places.size() << ", routes "
        << s.model.routes.size() << ", sources " << s.model.sources.size() << ", markets "
        << s.model.markets.size() << ", patrols " << s.model.patrols.size() << ")\n";
    return kOk;
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  }
}

namespace {

/// What `interdict inspect` shows of a study: its runs (without series) and, for a sweep
/// directory, the plan, tallied by status and variant.
struct StudyTally {
  std::string path;
  bool directory = false;
  io::StudyInfo info;
  std::vector<io::RunRecord> runs;
  std::size_t planned = 0;           // in the plan (a sweep directory)
  std::vector<std::string> missing;  // planned, with no published result
  struct Group {
    std::size_t runs = 0, failed = 0, planned = 0;
    std::vector<std::pair<std::string, std::pair<double, std::size_t>>> sums;  // metric: sum, n
  };
  std::vector<std::pair<std::string, Group>> variants;  // in first-seen order
  std::size_t ok = 0, failed = 0, planned_only = 0, samples = 0;
  std::vector<MetricInfo> series;

  static double mean(const std::pair<double, std::size_t>& s) {
    return s.second ? s.first / static_cast<double>(s.second) : NAN;
  }
};

/// The runs of a sweep directory (published ones, in plan order; warns of batches it cannot
/// trust) or of a study file.
void read_study_runs(StudyTally& t) {
  if (!t.directory) {
    t.runs = io::read_runs(t.path, /*with_series=*/false);
    t.info = io::read_study_info(t.path);
    return;
  }
  experiment::PublishedStudy published = experiment::read_published(t.path);
  for (const std::string& f : published.damaged)
    std::cerr << "warning: " << f
              << ": damaged (bytes do not match the digest in its name), not read; "
                 "`interdict sweep STUDY -o DIR --resume` runs its runs again\n";
  for (const std::string& f : published.foreign)
    std::cerr << "warning: " << f
              << ": computed for another study than the manifest plans, not counted\n";
  t.planned = published.plan.size();
  for (const io::RunRecord& p : published.plan) {
    const auto it = published.results.find(p.key);
    if (it == published.results.end()) {
      t.missing.push_back(p.key);
      continue;
    }
    t.runs.push_back(std::move(it->second.run));
  }
  t.info = io::read_study_info((std::filesystem::path(t.path) / "manifest.h5").string());
}

/// Counts runs by status and variant, and sums each variant's summary metrics over its
/// successful runs.
void tally(StudyTally& t) {
  const auto group_of = [&](const std::string& variant) -> StudyTally::Group& {
    for (auto& [name, g] : t.variants)
      if (name == variant) return g;
    return t.variants.emplace_back(variant, StudyTally::Group{}).second;
  };
  for (const io::RunRecord& r : t.runs) {
    StudyTally::Group& g = group_of(r.variant);
    ++g.runs;
    if (r.status == "planned") {
      ++t.planned_only;
      ++g.planned;
      continue;
    }
    if (r.status != "ok") {
      ++t.failed;
      ++g.failed;
      continue;
    }
    ++t.ok;
    t.samples = std::max(t.samples, r.time.size());
    if (t.series.empty()) t.series = r.series_metrics;
    for (std::size_t m = 0; m < r.summary_metrics.size(); ++m) {
      const std::string& name = r.summary_metrics[m].name;
      auto at = std::find_if(g.sums.begin(), g.sums.end(),
                             [&](const auto& s) { return s.first == name; });
      if (at == g.sums.end()) at = g.sums.insert(g.sums.end(), {name, {0.0, 0}});
      if (!std::isnan(r.summary[m])) {
        at->second.first += r.summary[m];
        ++at->second.second;
      }
    }
  }
}

void print_study_json(const StudyTally& t, std::ostream& out) {
  Json report;
  report["file"] = t.path;
  report["study_name"] = t.info.name;
  report["runs"] = t.runs.size();
  report["ok"] = t.ok;
  report["failed"] = t.failed;
  if (t.directory) {
    report["planned"] = t.planned;
    report["not_published"] = t.missing.size();
  }
  report["samples"] = t.samples;
  report["timeseries"] = Json::array();
  for (const MetricInfo& m : t.series)
    report["timeseries"].push_back(m.name);
  report["variants"] = Json::object();
  for (const auto& [name, g] : t.variants) {
    Json means = Json::object();
    for (const auto& [metric, sum] : g.sums)
      means[metric] = StudyTally::mean(sum);
    report["variants"][name] = Json{{"runs", g.runs}, {"failed", g.failed}, {"mean", means}};
  }
  print_json(out, report);
}

void print_study_text(const StudyTally& t, std::ostream& out) {
  out << t.path << (t.directory ? " (sweep directory)" : "") << "\n";
  out << "  " << std::left << std::setw(18) << "format" << io::kStudyFormatName << "\n";
  out << "  " << std::setw(18) << "study" << t.info.name << "\n";
  out << "  " << std::setw(18) << "runs";
  if (t.directory)
    out << t.planned << " planned: " << t.ok << " ok, " << t.failed << " failed, "
        << t.missing.size() << " not published\n";
  else if (t.planned_only == t.runs.size())
    out << t.runs.size() << " planned (a manifest)\n";
  else
    out << t.runs.size() << ": " << t.ok << " ok, " << t.failed << " failed\n";
  if (t.ok > 0)
    out << "  " << std::setw(18) << "time series" << t.series.size() << " metrics x " << t.samples
        << " samples\n";
  if (t.ok + t.failed == 0) return;  // nothing ran yet: no table of means
  const std::vector<std::string> shown{"delivered_kg", "seized_kg", "seizure_fraction", "arrests"};
  int width = 20;
  for (const auto& [name, g] : t.variants)
    width = std::max(width, static_cast<int>(name.size()) + 2);
  out << "\n  " << std::setw(width) << "variant" << std::right << std::setw(6) << "runs"
      << std::setw(8) << "failed";
  for (const std::string& m : shown)
    out << std::setw(18) << m;
  out << "\n";
  for (const auto& [name, g] : t.variants) {
    out << "  " << std::left << std::setw(width) << name << std::right << std::setw(6) << g.runs
        << std::setw(8) << g.failed;
    for (const std::string& m : shown) {
      const auto at =
          std::find_if(g.sums.begin(), g.sums.end(), [&](const auto& s) { return s.first == m; });
      out << std::setw(18) << std::setprecision(6)
          << (at == g.sums.end() ? NAN : StudyTally::mean(at->second));
    }
    out << "\n";
  }
  out << "  (means over each variant's successful runs; --json gives every metric)\n";
}

/// `interdict inspect` of a study: a sweep directory or a study file (merged, a batch, the
/// manifest). Counts runs by status and variant, and averages the summary metrics of the
/// successful runs per variant.
int inspect_study(const std::string& path, bool json, std::ostream& out) {
  StudyTally t;
  t.path = path;
  t.directory = std::filesystem::is_directory(path);
  read_study_runs(t);
  tally(t);
  if (json) {
    print_study_json(t, out);
  } else {
    print_study_text(t, out);
  }
  return kOk;
}

/// `interdict inspect --json` of a result file: attributes, final values, summary.
Json result_json(const std::string& path, const io::StoredResult& r) {
  Json report;
  report["file"] = path;
  report["attributes"] = Json::object();
  for (const auto& [k, v] : r.text_attributes)
    report["attributes"][k] = v;
  for (const auto& [k, v] : r.number_attributes)
    report["attributes"][k] = v;
  report["samples"] = r.time.size();
  report["timeseries"] = Json::object();
  for (const auto& s : r.series)
    report["timeseries"][s.name] =
        Json{{"units", s.units}, {"final", s.values.empty() ? NAN : s.values.back()}};
  report["summary"] = Json::object();
  for (const auto& s : r.summary)
    report["summary"][s.name] = s.values.empty() ? NAN : s.values.front();
  return report;
}

}  // namespace

int inspect_command(const std::string& path, bool json, std::ostream& out, std::ostream& err) {
  try {
    if (std::filesystem::is_directory(path) || io::is_study_file(path))
      return inspect_study(path, json, out);
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  }
  io::StoredResult r;
  try {
    r = io::read_result(path);
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  }
  if (json) {
    print_json(out, result_json(path, r));
    return kOk;
  }
  out << path << "\n";
  for (const char* key :
       {"format", "software_version", "git_commit", "scenario_name", "scenario_path", "created"})
    out << "  " << std::left << std::setw(18) << key << r.text_attributes[key] << "\n";
  for (const char* key : {"format_version", "seed", "replicate", "duration_days", "events_handled"})
    out << "  " << std::left << std::setw(18) << key << std::setprecision(15)
        << r.number_attributes[key] << "\n";
  out << "\n/timeseries: " << r.series.size() << " metrics x " << r.time.size() << " samples";
  if (!r.time.empty())
    out << " (t = " << r.time.front() << " to " << r.time.back() << " simulation days)";
  out << "\n";
  // Columns as wide as their longest entry, so that names and units never run together.
  std::size_t name_width = 0, unit_width = 0;
  for (const auto* metrics : {&r.series, &r.summary})
    for (const auto& s : *metrics) {
      name_width = std::max(name_width, s.name.size());
      unit_width = std::max(unit_width, s.units.size());
    }
  const auto columns = [&](const auto& s) -> std::ostream& {
    return out << "  " << std::left << std::setw(static_cast<int>(name_width + 2)) << s.name
               << std::setw(static_cast<int>(unit_width + 2)) << s.units;
  };
  for (const auto& s : r.series)
    columns(s) << "final " << (s.values.empty() ? NAN : s.values.back()) << "\n";
  out << "\n/summary:\n";
  for (const auto& s : r.summary)
    columns(s) << (s.values.empty() ? NAN : s.values.front()) << "\n";
  return kOk;
}

int keys_command(bool markdown, std::ostream& out) {
  out << (markdown ? scenario::keys_markdown() : scenario::keys_text());
  return kOk;
}

std::string metrics_markdown(const std::string& kind) {
  const bool series = kind == "series";
  std::string out = "| dataset | units | meaning |\n|---|---|---|\n";
  if (series) out += "| `time` | simulation days | sample times (the dimension scale) |\n";
  const auto escaped = [](const std::string& text) {
    std::string e;
    for (char c : text)
      e += c == '|' ? std::string("\\|") : std::string(1, c);
    return e;
  };
  for (const MetricInfo& m :
       series ? model::TraffickingModel::series() : model::TraffickingModel::summary())
    out += "| `" + m.name + "` | " + escaped(m.unit) + " | " + escaped(m.description) + " |\n";
  return out;
}

int metrics_command(bool markdown, std::ostream& out) {
  for (const char* kind : {"series", "summary"}) {
    if (markdown) {
      out << "<!-- generated: " << kind << " -->\n" << metrics_markdown(kind) << "<!-- end -->\n";
      continue;
    }
    out << (std::string(kind) == "series" ? "time series (/timeseries, output.series, `when` "
                                            "conditions):\n"
                                          : "\nend-of-run values (/summary):\n");
    for (const MetricInfo& m : std::string(kind) == "series" ? model::TraffickingModel::series()
                                                             : model::TraffickingModel::summary())
      out << "  " << std::left << std::setw(34) << m.name << std::setw(5) << m.unit << " "
          << m.description << "\n"
          << std::right;
  }
  return kOk;
}

int plan_command(const PlanCommandOptions& options, std::ostream& out, std::ostream& err) {
  const std::string& study_path = options.study;
  const std::string& run_key = options.run_key;
  scenario::Study study;
  try {
    study = scenario::load_study(study_path);
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  }
  if (!run_key.empty()) {
    // The single run repeats the sweep's exactly: same scenario text, overrides, seed and
    // replicate (and writes a full result file, network record included).
    const auto run = std::find_if(study.runs.begin(), study.runs.end(),
                                  [&](const scenario::StudyRun& r) { return r.key == run_key; });
    if (run == study.runs.end()) {
      err << "error: " << study_path << ": no run with key \"" << run_key << "\" (interdict plan "
          << study_path << " --list lists them)\n";
      return kBadInput;
    }
    out << "interdict run " << shell_quoted(run->scenario_path) << " --seed " << run->seed
        << " --replicate " << run->replicate;
    for (const std::string& o : run->overrides)
      out << " --set " << shell_quoted(o);
    out << " -o " << shell_quoted("results/" + study.name + "-" + run->key + ".h5") << "\n";
    return kOk;
  }
  const std::size_t points = study.runs.size() / study.replicates / study.variants.size();
  out << study.name << ": " << study.runs.size() << " runs = " << study.variants.size()
      << " variants x " << points << " parameter points x " << study.replicates << " replicates ("
      << (study.common_random_numbers ? "common" : "independent") << " random numbers), scenario "
      << (study.scenario_path.empty() ? "of each variant" : study.scenario_path) << "\n";
  if (!study.design.empty()) out << "design: " << study.design << "\n";
  if (!options.write_path.empty()) {
    try {
      experiment::write_plan(study, options.write_path);
    } catch (const std::exception& e) {
      err << "error: " << options.write_path << ": " << e.what() << "\n";
      return kRuntimeFailure;
    }
    out << "plan written to " << options.write_path << "\n";
  }
  if (!options.list) return kOk;
  const bool designed = !study.design.empty();
  out << "\nrun_key           variant             replicate  seed"
      << (designed ? "  point  block  role   factor" : "");
  for (const std::string& p : study.parameter_names)
    out << "  " << p;
  out << "\n";
  for (const scenario::StudyRun& run : study.runs) {
    out << run.key << "  " << std::left << std::setw(18) << run.variant << std::right
        << std::setw(10) << run.replicate << "  " << run.seed;
    if (designed)
      out << "  " << std::setw(5) << run.design.index << "  " << std::setw(5) << run.design.block
          << "  " << std::left << std::setw(5) << run.design.role << std::right << "  "
          << std::setw(6) << run.design.factor;
    for (const auto& [k, v] : run.parameters)
      out << "  " << v;
    out << "\n";
  }
  return kOk;
}

bool parse_shard(const std::string& text, experiment::Shard& shard, std::string& problem) {
  constexpr std::uint64_t kMaxNumber = std::numeric_limits<unsigned>::max();
  if (text.empty()) {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    if (id == nullptr || count == nullptr) return true;
    const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
    const auto variable = [&](const char* name, const char* value) {
      const auto number = scenario::parse_unsigned(value, kMaxNumber);
      if (!number)
        problem = std::string(name) + " is \"" + value + "\", not a whole number up to " +
                  std::to_string(kMaxNumber);
      return number;
    };
    const auto first = min ? variable("SLURM_ARRAY_TASK_MIN", min) : std::uint64_t{0};
    const auto task = variable("SLURM_ARRAY_TASK_ID", id);
    const auto tasks = variable("SLURM_ARRAY_TASK_COUNT", count);
    if (!first || !task || !tasks) return false;
    if (*task < *first || *task - *first >= *tasks) {
      problem = "SLURM_ARRAY_TASK_ID " + std::string(id) + " is not one of the " + count +
                " tasks from SLURM_ARRAY_TASK_MIN " + std::to_string(*first);
      return false;
    }
    shard.index = static_cast<unsigned>(*task - *first);
    shard.count = static_cast<unsigned>(*tasks);
    return true;
  }
  const auto slash = text.find('/');
  const auto index = scenario::parse_unsigned(text.substr(0, slash), kMaxNumber);
  const auto count = slash == std::string::npos
                         ? std::nullopt
                         : scenario::parse_unsigned(text.substr(slash + 1), kMaxNumber);
  if (!index || !count || *count == 0 || *index >= *count) {
    problem = "--shard expects I/N with 0 <= I < N, got \"" + text + "\"";
    return false;
  }
  shard.index = static_cast<unsigned>(*index);
  shard.count = static_cast<unsigned>(*count);
  return true;
}

namespace {

/// Progress on stderr: a bar on a terminal; otherwise a line every 30 s and at each 10%.
class ProgressReport {
 public:
  explicit ProgressReport(std::ostream& err) : err_(err), terminal_(isatty(STDERR_FILENO) != 0) {}

  void operator()(std::size_t done, std::size_t failed, std::size_t total) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const std::size_t tenth = total ? done * 10 / total : 10;
    if (terminal_) {
      const int width = 30;
      const int filled = total ? static_cast<int>(width * done / total) : width;
      err_ << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done
           << "/" << total;
      if (failed) err_ << " (" << failed << " failed)";
      err_ << "   " << std::flush;
      if (done == total) err_ << "\n";
      return;
    }
    if (tenth == last_tenth_ && std::chrono::duration<double>(now - last_line_).count() < 30.0)
      return;
    last_tenth_ = tenth;
    last_line_ = now;
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    err_ << "sweep: " << done << "/" << total << " runs, " << failed << " failed, " << std::fixed
         << std::setprecision(1) << rate << " runs/s, ETA "
         << (rate > 0 ? static_cast<double>(total - done) / rate : 0.0) << " s\n"
         << std::defaultfloat;
  }

 private:
  std::ostream& err_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_line_ = start_;
  std::size_t last_tenth_ = 0;
};

}  // namespace

int sweep_command(const SweepCommandOptions& options, std::ostream& out, std::ostream& err) {
  scenario::Study study;
  experiment::SweepOptions sweep;
  try {
    study = scenario::load_study(options.study);
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  }
  std::string problem;
  if (!parse_shard(options.shard, sweep.shard, problem)) {
    err << "error: " << problem << "\n";
    return kBadInput;
  }
  sweep.directory = options.directory;
  sweep.workers =
      options.workers ? options.workers : std::max(1u, std::thread::hardware_concurrency());
  sweep.resume = options.resume;
  sweep.batch_runs = options.batch_runs;
  sweep.mpi_chunk = options.mpi_chunk;
  ProgressReport progress(err);
  sweep.progress = std::ref(progress);
  try {
    int rank = 0;
    const bool mpi = experiment::launched_by_mpi();
    if (mpi) sweep.workers = 1;  // one worker per rank: launch one rank per core
    const experiment::SweepReport r =
        mpi ? experiment::run_sweep_mpi(study, sweep, rank) : experiment::run_sweep(study, sweep);
    if (rank != 0) return r.failed ? kRuntimeFailure : kOk;
    const auto share = [&](double seconds) {  // of the workers' time
      return r.seconds > 0 ? 100.0 * seconds / sweep.workers / r.seconds : 0.0;
    };
    if (mpi) out << "(MPI) ";
    out << study.name << ": " << r.done << " runs done (" << r.failed << " failed), " << r.skipped
        << " already published"
        << (r.recovered ? " (" + std::to_string(r.recovered) + " recovered from journals)"
                        : std::string())
        << (r.damaged ? ", " + std::to_string(r.damaged) + " damaged batches set aside"
                      : std::string())
        << (r.added ? ", " + std::to_string(r.added) + " new runs planned (the study grew)"
                    : std::string())
        << (sweep.shard.count > 1 ? ", shard " + std::to_string(sweep.shard.index) + "/" +
                                        std::to_string(sweep.shard.count) + " of "
                                  : std::string(", "))
        << r.planned << " planned runs, " << sweep.workers
        << (mpi ? " worker per rank, " : " workers, ") << std::fixed << std::setprecision(2)
        << r.seconds << " s (" << std::setprecision(1) << share(r.publish_seconds)
        << "% publishing HDF5 batches, " << share(r.journal_seconds) << "% journalling) -> "
        << options.directory << "\n";
    return r.failed ? kRuntimeFailure : kOk;
  } catch (const experiment::SweepAbandoned& e) {
    return e.exit_code();  // another rank said why
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const std::exception& e) {
    err << "error: sweep failed: " << e.what() << "\n";
    return kRuntimeFailure;
  }
}

int merge_command(const std::string& directory, const std::string& output, std::ostream& out,
                  std::ostream& err) {
  const std::string path = output.empty() ? directory + "/merged.h5" : output;
  try {
    const experiment::MergeReport r = experiment::merge_study(directory, path);
    if (!r.missing.empty()) {
      err << "error: " << directory << ": " << r.missing.size() << " of " << r.planned
          << " planned runs have no successful result, nothing merged; missing:";
      for (std::size_t i = 0; i < r.missing.size() && i < 20; ++i)
        err << " " << r.missing[i];
      if (r.missing.size() > 20) err << " ...";
      err << "\n(run `interdict sweep STUDY -o " << directory << " --resume` to complete it)\n";
      return kRuntimeFailure;
    }
    out << "merged " << r.merged << " runs into " << path << "\n";
    return kOk;
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const io::FormatError& e) {  // a foreign or damaged file, named: as inspect does
    err << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const std::exception& e) {
    err << "error: merge failed: " << e.what() << "\n";
    return kRuntimeFailure;
  }
}

}  // namespace interdict::cli
