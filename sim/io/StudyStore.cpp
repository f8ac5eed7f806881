// StudyStore: HDF5 layout of study results, written atomically.
#include "io/StudyStore.hpp"

#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "core/Version.hpp"
#include "io/Hdf5Handle.hpp"
#include "io/Hdf5Support.hpp"
#include "io/RecordTables.hpp"

namespace interdict::io {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::optional<double> as_number(const std::string& text) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// The metrics (summary or series) any of the runs recorded, by name, in first-seen order.
std::vector<MetricInfo> metrics_of(const std::vector<RunRecord>& runs,
                                   std::vector<MetricInfo> RunRecord::*recorded) {
  std::vector<MetricInfo> out;
  for (const RunRecord& r : runs)
    for (const MetricInfo& m : r.*recorded)
      if (std::none_of(out.begin(), out.end(),
                       [&](const MetricInfo& x) { return x.name == m.name; }))
        out.push_back(m);
  return out;
}

void write_file(const std::string& path, const StudyInfo& study, const std::vector<RunRecord>& runs,
                Layout layout) {
  const Hdf5Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                        "create " + path);
  write_string_attribute(file, "format", kStudyFormatName);
  const int version = kStudyFormatVersion;
  {
    const Hdf5Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
    const Hdf5Handle a(
        H5Acreate2(file, "format_version", H5T_NATIVE_INT, space, H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose, "create attribute");
    check(H5Awrite(a, H5T_NATIVE_INT, &version), "write format_version");
  }
  write_string_attribute(file, "software_version", kVersion);
  write_string_attribute(file, "git_commit", kGitCommit);
  write_string_attribute(file, "study_name", study.name);
  write_string_attribute(file, "study_toml", study.study_text);
  std::string names;
  for (const std::string& n : study.parameter_names)
    names += n + "\n";
  write_string_attribute(file, "parameters", names);

  const Hdf5Handle ordered = ordered_group_properties();
  const std::size_t n = runs.size();
  std::vector<double> index(n);
  for (std::size_t i = 0; i < n; ++i)
    index[i] = static_cast<double>(i);

  // /runs: one row per run.
  const Hdf5Handle group(H5Gcreate2(file, "runs", H5P_DEFAULT, ordered, H5P_DEFAULT), H5Gclose,
                         "create /runs");
  const Hdf5Handle run_scale = write_numbers(group, "run", index, layout);
  if (layout.keep) check(H5DSset_scale(run_scale, "run"), "make run a dimension scale");
  const auto column = [&](Hdf5Handle d, const std::string& units) {
    if (!units.empty()) write_string_attribute(d, "units", units);
    if (layout.keep) check(H5DSattach_scale(d, run_scale, 0), "attach run");
  };
  const auto text_column = [&](const std::string& name, auto get) {
    std::vector<std::string> v;
    for (const RunRecord& r : runs)
      v.push_back(get(r));
    column(write_strings(group, name, v, layout), "");
  };
  const auto number_column = [&](const std::string& name, const std::string& units, auto get) {
    std::vector<double> v;
    for (const RunRecord& r : runs)
      v.push_back(get(r));
    column(write_numbers(group, name, v, layout), units);
  };
  text_column("run_key", [](const RunRecord& r) { return r.key; });
  text_column("variant", [](const RunRecord& r) { return r.variant; });
  for (const std::string& name : study.parameter_names) {
    std::vector<std::string> texts;
    for (const RunRecord& r : runs) {
      std::string value;
      for (const auto& [k, v] : r.parameters)
        if (k == name) value = v;
      texts.push_back(value);
    }
    const bool numeric = std::all_of(texts.begin(), texts.end(),
                                     [](const std::string& t) { return as_number(t).has_value(); });
    if (numeric) {
      std::vector<double> v;
      for (const std::string& t : texts)
        v.push_back(*as_number(t));
      column(write_numbers(group, name, v, layout), "");
    } else {
      column(write_strings(group, name, texts, layout), "");
    }
  }
  number_column("replicate", "",
                [](const RunRecord& r) { return static_cast<double>(r.replicate); });
  text_column("seed", [](const RunRecord& r) { return std::to_string(r.seed); });
  text_column("status", [](const RunRecord& r) { return r.status; });
  text_column("error", [](const RunRecord& r) { return r.error; });
  // Summary metrics: the union over runs, in first-seen order (failed runs have none: NaN).
  for (const MetricInfo& m : metrics_of(runs, &RunRecord::summary_metrics))
    number_column(m.name, m.unit, [&](const RunRecord& r) {
      for (std::size_t i = 0; i < r.summary_metrics.size(); ++i)
        if (r.summary_metrics[i].name == m.name) return r.summary[i];
      return kNaN;
    });

  // /timeseries: (run, time), on the longest time axis.
  const Hdf5Handle ts(H5Gcreate2(file, "timeseries", H5P_DEFAULT, ordered, H5P_DEFAULT), H5Gclose,
                      "create /timeseries");
  std::vector<double> time;
  for (const RunRecord& r : runs)
    if (r.time.size() > time.size()) time = r.time;
  const Hdf5Handle ts_run = write_numbers(ts, "run", index, layout);
  if (layout.keep) check(H5DSset_scale(ts_run, "run"), "make run a dimension scale");
  const Hdf5Handle time_scale = write_numbers(ts, "time", time, layout);
  write_string_attribute(time_scale, "units", "simulation days");
  if (layout.keep) check(H5DSset_scale(time_scale, "time"), "make time a dimension scale");
  const std::vector<MetricInfo> series = metrics_of(runs, &RunRecord::series_metrics);
  const std::size_t t = time.size();
  std::vector<double> values(n * t);  // one buffer for every metric: no page faults per metric
  for (std::size_t j = 0; j < series.size(); ++j) {
    const MetricInfo& m = series[j];
    std::fill(values.begin(), values.end(), kNaN);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& recorded = runs[i].series_metrics;
      // Runs of one study record the same metrics in the same order: look there first.
      std::size_t k = j < recorded.size() && recorded[j].name == m.name ? j : recorded.size();
      for (std::size_t c = 0; k == recorded.size() && c < recorded.size(); ++c)
        if (recorded[c].name == m.name) k = c;
      if (k < recorded.size())
        std::copy(runs[i].series[k].begin(), runs[i].series[k].end(),
                  values.begin() + static_cast<std::ptrdiff_t>(i * t));
    }
    Hdf5Handle d = create_dataset(ts, m.name, H5T_IEEE_F64LE, {n, t}, layout);
    if (n * t > 0)
      check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            "write " + m.name);
    write_string_attribute(d, "units", m.unit);
    write_string_attribute(d, "long_name", m.description);
    if (layout.keep) {
      check(H5DSattach_scale(d, ts_run, 0), "attach run");
      check(H5DSattach_scale(d, time_scale, 1), "attach time");
    }
  }

  // /interventions: every run's log, each row naming its run.
  std::vector<InterventionRecord> log;
  std::vector<double> run_row;
  std::vector<std::string> run_key;
  for (std::size_t i = 0; i < n; ++i)
    for (const InterventionRecord& record : runs[i].interventions) {
      log.push_back(record);
      run_row.push_back(static_cast<double>(i));
      run_key.push_back(runs[i].key);
    }
  std::vector<Column> columns{
      Column{"run", "1", "row of the run in /runs", run_row},
      Column{"run_key", "", "the run's stable key", {}, run_key, true},
  };
  for (Column& c : intervention_columns(log))
    columns.push_back(std::move(c));
  write_table(file, "interventions", "intervention", log.size(), columns, layout);
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path);
}

std::vector<std::string> read_strings(hid_t group, const char* name) {
  if (H5Lexists(group, name, H5P_DEFAULT) <= 0) return {};
  const Hdf5Handle d(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, std::string("open ") + name);
  const Hdf5Handle space(H5Dget_space(d), H5Sclose, "get dataspace");
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<char*> raw(n, nullptr);
  const Hdf5Handle type = utf8_string_type();
  if (n > 0)
    check(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), std::string("read ") + name);
  std::vector<std::string> out;
  for (char* s : raw)
    out.emplace_back(s ? s : "");
  if (n > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
  return out;
}

std::vector<double> read_numbers(hid_t group, const char* name,
                                 std::vector<hsize_t>* dims = nullptr) {
  const Hdf5Handle d(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, std::string("open ") + name);
  const Hdf5Handle space(H5Dget_space(d), H5Sclose, "get dataspace");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, shape.data(), nullptr);
  if (dims) *dims = shape;
  std::vector<double> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!out.empty())
    check(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
          std::string("read ") + name);
  return out;
}

Hdf5Handle open_study_file(const std::string& path) {
  silence_hdf5_errors();
  if (H5Fis_hdf5(path.c_str()) <= 0) throw Hdf5Error(path + ": not an HDF5 file");
  Hdf5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
  if (read_string_attribute(file, "format") != kStudyFormatName)
    throw Hdf5Error(path + ": not an interdict study file");
  return file;
}

}  // namespace

void write_runs(const std::string& path, const StudyInfo& study, const std::vector<RunRecord>& runs,
                bool keep) {
  silence_hdf5_errors();
  // Unique per process and thread: array tasks racing to write the same manifest never share
  // a temporary file, and the rename makes one complete copy win.
  const std::string temporary =
      path + ".tmp." + std::to_string(::getpid()) + "." +
      std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()) % 100000);
  try {
    write_file(temporary, study, runs, Layout{keep});
    std::filesystem::rename(temporary, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

std::vector<std::pair<std::string, std::string>> read_run_status(const std::string& path) {
  const Hdf5Handle file = open_study_file(path);
  const Hdf5Handle runs(H5Gopen2(file, "runs", H5P_DEFAULT), H5Gclose, "open /runs");
  const auto keys = read_strings(runs, "run_key");
  const auto status = read_strings(runs, "status");
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < keys.size(); ++i)
    out.emplace_back(keys[i], i < status.size() ? status[i] : "");
  return out;
}

std::vector<RunRecord> read_runs(const std::string& path) {
  const Hdf5Handle file = open_study_file(path);
  std::vector<std::string> parameter_names;
  {
    const std::string text = read_string_attribute(file, "parameters");
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
      parameter_names.push_back(text.substr(start, end - start));
  }
  const Hdf5Handle runs(H5Gopen2(file, "runs", H5P_DEFAULT), H5Gclose, "open /runs");
  const auto keys = read_strings(runs, "run_key");
  std::vector<RunRecord> out(keys.size());
  const auto variants = read_strings(runs, "variant");
  const auto seeds = read_strings(runs, "seed");
  const auto status = read_strings(runs, "status");
  const auto errors = read_strings(runs, "error");
  const auto replicates = read_numbers(runs, "replicate");
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].key = keys[i];
    out[i].variant = variants[i];
    out[i].seed = std::stoull(seeds[i]);
    out[i].status = status[i];
    out[i].error = errors[i];
    out[i].replicate = static_cast<std::uint64_t>(replicates[i]);
  }
  std::set<std::string> fixed{"run", "run_key", "variant", "replicate", "seed", "status", "error"};
  for (const std::string& name : group_members(runs)) {
    if (fixed.count(name)) continue;
    const bool parameter =
        std::find(parameter_names.begin(), parameter_names.end(), name) != parameter_names.end();
    const Hdf5Handle d(H5Dopen2(runs, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    const Hdf5Handle type(H5Dget_type(d), H5Tclose, "get type");
    if (parameter) {
      std::vector<std::string> values;
      if (H5Tget_class(type) == H5T_STRING) {
        values = read_strings(runs, name.c_str());
      } else {
        for (double v : read_numbers(runs, name.c_str())) {
          char buffer[32];
          const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
          values.emplace_back(buffer, end);
        }
      }
      for (std::size_t i = 0; i < out.size(); ++i)
        out[i].parameters.emplace_back(name, values[i]);
      continue;
    }
    const auto values = read_numbers(runs, name.c_str());
    const MetricInfo info{name, read_string_attribute(d, "units"), ""};
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (std::isnan(values[i]) && out[i].status != "ok") continue;
      out[i].summary_metrics.push_back(info);
      out[i].summary.push_back(values[i]);
    }
  }
  const Hdf5Handle ts(H5Gopen2(file, "timeseries", H5P_DEFAULT), H5Gclose, "open /timeseries");
  const auto time = read_numbers(ts, "time");
  for (const std::string& name : group_members(ts)) {
    if (name == "run" || name == "time") continue;
    std::vector<hsize_t> dims;
    const auto values = read_numbers(ts, name.c_str(), &dims);
    const Hdf5Handle d(H5Dopen2(ts, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    const MetricInfo info{name, read_string_attribute(d, "units"),
                          read_string_attribute(d, "long_name")};
    const std::size_t t = time.size();
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].status != "ok") continue;
      // Drop the NaN padding after the run's last sample.
      std::size_t length = t;
      while (length > 0 && std::isnan(values[i * t + length - 1]))
        --length;
      if (out[i].time.size() < length)
        out[i].time.assign(time.begin(), time.begin() + static_cast<std::ptrdiff_t>(length));
      out[i].series_metrics.push_back(info);
      out[i].series.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i * t),
                                 values.begin() + static_cast<std::ptrdiff_t>(i * t + t));
    }
  }
  for (RunRecord& r : out)
    for (auto& s : r.series)
      s.resize(r.time.size());

  if (H5Lexists(file, "interventions", H5P_DEFAULT) > 0) {
    const Hdf5Handle log(H5Gopen2(file, "interventions", H5P_DEFAULT), H5Gclose,
                         "open /interventions");
    const auto row = read_numbers(log, "run");
    const auto fired = read_numbers(log, "time");
    const auto ids = read_strings(log, "id");
    const auto actions = read_strings(log, "action");
    const auto targets = read_strings(log, "targets");
    const auto arrests = read_numbers(log, "arrests");
    const auto cost = read_numbers(log, "cost");
    // Every other numeric column is a network measure.
    const std::set<std::string> fixed_columns{"intervention", "run", "time", "arrests", "cost"};
    std::vector<std::pair<std::string, std::vector<double>>> measures;
    for (const std::string& name : group_members(log)) {
      if (fixed_columns.count(name)) continue;
      const Hdf5Handle d(H5Dopen2(log, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
      const Hdf5Handle type(H5Dget_type(d), H5Tclose, "get type");
      if (H5Tget_class(type) == H5T_FLOAT)
        measures.emplace_back(name, read_numbers(log, name.c_str()));
    }
    for (std::size_t k = 0; k < row.size(); ++k) {
      const auto i = static_cast<std::size_t>(row[k]);
      if (i >= out.size()) throw Hdf5Error(path + ": /interventions names a run that is not there");
      InterventionRecord record{fired[k], ids[k], actions[k], targets[k], arrests[k], cost[k]};
      for (const auto& [name, values] : measures)
        record.network.emplace_back(name, values[k]);
      out[i].interventions.push_back(std::move(record));
    }
  }
  return out;
}

}  // namespace interdict::io
