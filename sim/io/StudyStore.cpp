// StudyStore: HDF5 layout of study results, written atomically.
#include "io/StudyStore.hpp"

#include <fcntl.h>
#include <hdf5_hl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "core/Digest.hpp"
#include "core/Version.hpp"
#include "io/GatherWrite.hpp"
#include "io/Hdf5Handle.hpp"
#include "io/Hdf5Support.hpp"

namespace interdict::io {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// The group of every run's intervention log, and what a row is.
constexpr const char* kLog = "interventions";
constexpr const char* kLogDimension = "intervention";

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

/// The columns saying where each run's point sits in a sensitivity design.
void design_columns(const std::vector<RunRecord>& runs, std::vector<Column>& columns) {
  const auto number = [&](const char* name, std::int64_t DesignPoint::*field) {
    Column c{name, "", ""};
    c.integer = true;
    for (const RunRecord& r : runs)
      c.numbers.push_back(static_cast<double>(r.design.*field));
    columns.push_back(std::move(c));
  };
  number("design_point", &DesignPoint::index);
  number("design_block", &DesignPoint::block);
  Column role{"design_role", "", ""};
  role.text = true;
  for (const RunRecord& r : runs)
    role.strings.push_back(r.design.role);
  columns.push_back(std::move(role));
  number("design_factor", &DesignPoint::factor);
}

/// The /runs table: identity, varied parameters, summary metrics (NaN where a run has none).
std::vector<Column> run_columns(const StudyInfo& study, const std::vector<RunRecord>& runs) {
  std::vector<Column> columns;
  const auto text = [&](const std::string& name, auto get) {
    Column c{name, "", ""};
    c.text = true;
    for (const RunRecord& r : runs)
      c.strings.push_back(get(r));
    columns.push_back(std::move(c));
  };
  text("run_key", [](const RunRecord& r) { return r.key; });
  text("variant", [](const RunRecord& r) { return r.variant; });
  for (const std::string& name : study.parameter_names) {
    std::vector<std::string> texts;
    for (const RunRecord& r : runs) {
      std::string value;
      for (const auto& [k, v] : r.parameters)
        if (k == name) value = v;
      texts.push_back(value);
    }
    Column c{name, "", ""};
    if (std::all_of(texts.begin(), texts.end(),
                    [](const std::string& t) { return as_number(t).has_value(); })) {
      for (const std::string& t : texts)
        c.numbers.push_back(*as_number(t));
    } else {
      c.text = true;
      c.strings = std::move(texts);
    }
    columns.push_back(std::move(c));
  }
  if (!study.design.empty()) design_columns(runs, columns);
  Column replicate{"replicate", "", ""};
  replicate.integer = true;
  for (const RunRecord& r : runs)
    replicate.numbers.push_back(static_cast<double>(r.replicate));
  columns.push_back(std::move(replicate));
  text("seed", [](const RunRecord& r) { return std::to_string(r.seed); });
  text("status", [](const RunRecord& r) { return r.status; });
  text("error", [](const RunRecord& r) { return r.error; });
  text("identity", [](const RunRecord& r) { return r.identity; });
  // Summary metrics: the union over runs, in first-seen order (failed runs have none: NaN).
  for (const MetricInfo& m : metrics_of(runs, &RunRecord::summary_metrics)) {
    Column c{m.name, m.unit, ""};
    for (const RunRecord& r : runs) {
      double value = kNaN;
      for (std::size_t i = 0; i < r.summary_metrics.size(); ++i)
        if (r.summary_metrics[i].name == m.name) value = r.summary[i];
      c.numbers.push_back(value);
    }
    columns.push_back(std::move(c));
  }
  return columns;
}

/// Run `r`'s series of metric `m`, the j-th of the union of metrics (null if it has none).
const std::vector<double>* series_of(const RunRecord& r, const MetricInfo& m, std::size_t j) {
  const auto& recorded = r.series_metrics;
  // Runs of one study record the same metrics in the same order: look there first.
  if (j < recorded.size() && recorded[j].name == m.name) return &r.series[j];
  for (std::size_t c = 0; c < recorded.size(); ++c)
    if (recorded[c].name == m.name) return &r.series[c];
  return nullptr;
}

/// The series of metric `m` (the j-th of the union) of each run, in `values` (run, time; NaN
/// on entry).
void gather_series(const std::vector<RunRecord>& runs, const MetricInfo& m, std::size_t j,
                   std::size_t t, std::vector<double>& values) {
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (const std::vector<double>* s = series_of(runs[i], m, j))
      std::copy(s->begin(), s->begin() + static_cast<std::ptrdiff_t>(std::min(s->size(), t)),
                values.begin() + static_cast<std::ptrdiff_t>(i * t));
}

/// How a kept file labels its runs: by key, with variant, replicate and the varied parameters
/// as coordinates (those whose names CF's space-separated `coordinates` attribute can hold).
RowLabels run_labels(const StudyInfo& study, const std::vector<Column>& columns) {
  RowLabels labels{columns.front().strings, "the run's stable key", {"variant", "replicate"}};
  for (const std::string& name : study.parameter_names)
    if (name.find_first_of(" \t\n") == std::string::npos) labels.coordinates.push_back(name);
  return labels;
}

/// /timeseries of a kept file: dimension scales run (the run keys) and time, the run
/// coordinates of `labels` (copied from `columns`), and a 2-D (run, time) dataset per metric
/// naming them, each filled by `series.fill` in turn.
void write_series_tables(hid_t file, const std::vector<Column>& columns, const RowLabels& labels,
                         const std::vector<MetricInfo>& metrics, const std::vector<double>& time,
                         const SeriesSource& fill, Layout layout) {
  const Hdf5Handle ts(
      H5Gcreate2(file, "timeseries", H5P_DEFAULT, ordered_group_properties(), H5P_DEFAULT),
      H5Gclose, "create /timeseries");
  const std::size_t n = labels.labels.size(), t = time.size();
  const Hdf5Handle ts_run = write_strings(ts, "run", labels.labels, layout);
  write_string_attribute(ts_run, "long_name", labels.description);
  check(H5DSset_scale(ts_run, "run"), "make run a dimension scale");
  std::string coordinates;
  for (const Column& c : columns) {
    if (std::find(labels.coordinates.begin(), labels.coordinates.end(), c.name) ==
        labels.coordinates.end())
      continue;
    coordinates += (coordinates.empty() ? "" : " ") + c.name;
    check(H5DSattach_scale(write_column(ts, c, layout), ts_run, 0), "attach run");
  }
  const Hdf5Handle time_scale = write_numbers(ts, "time", time, layout);
  write_string_attribute(time_scale, "units", "simulation days");
  check(H5DSset_scale(time_scale, "time"), "make time a dimension scale");
  // A few metrics at a time (one per core), each filled, then all compressed together: memory
  // holds that many metrics of all runs, and small files, of one chunk per metric, still use
  // every core.
  const std::size_t group = compression_threads();
  std::vector<std::vector<double>> values(std::min(group, metrics.size()),
                                          std::vector<double>(n * t));
  for (std::size_t first = 0; first < metrics.size(); first += group) {
    std::vector<Hdf5Handle> datasets;
    std::vector<CompressedTarget> targets;
    for (std::size_t j = first; j < std::min(first + group, metrics.size()); ++j) {
      const MetricInfo& m = metrics[j];
      std::vector<double>& v = values[j - first];
      std::fill(v.begin(), v.end(), kNaN);
      fill(j, m, v);
      Hdf5Handle d = create_dataset(ts, m.name, H5T_IEEE_F64LE, {n, t}, layout);
      write_string_attribute(d, "units", m.unit);
      write_string_attribute(d, "long_name", m.description);
      write_string_attribute(d, "coordinates", coordinates);
      check(H5DSattach_scale(d, ts_run, 0), "attach run");
      check(H5DSattach_scale(d, time_scale, 1), "attach time");
      targets.push_back(CompressedTarget{d, n, t, &v});
      datasets.push_back(std::move(d));
    }
    write_compressed(targets);
  }
}

/// Bytes to be written where HDF5 placed a contiguous dataset, once the file is closed: the
/// bulk of a batch goes from the runs' own vectors to the file in one pass, without a copy and
/// without holding the HDF5 lock.
struct RawWrite {
  haddr_t offset = HADDR_UNDEF;
  std::vector<iovec> pieces;
};

/// /timeseries of a batch: `time`, one 3-D dataset `values` (metric, run, time), allocated now
/// and filled by the returned raw write, and the metrics' `metric`, `units` and `long_name`.
RawWrite write_series_packed(hid_t file, const std::vector<RunRecord>& runs,
                             const std::vector<double>& time) {
  const Hdf5Handle ts(
      H5Gcreate2(file, "timeseries", H5P_DEFAULT, ordered_group_properties(), H5P_DEFAULT),
      H5Gclose, "create /timeseries");
  write_numbers(ts, "time", time, Layout{false});
  const std::vector<MetricInfo> series = metrics_of(runs, &RunRecord::series_metrics);
  const std::size_t n = runs.size(), t = time.size();
  const hsize_t dims[3] = {series.size(), n, t};
  const Hdf5Handle space(H5Screate_simple(3, dims, nullptr), H5Sclose, "create dataspace");
  const Hdf5Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create properties");
  check(H5Pset_layout(properties, H5D_CONTIGUOUS), "set contiguous layout");
  check(H5Pset_alloc_time(properties, H5D_ALLOC_TIME_EARLY), "allocate at creation");
  check(H5Pset_fill_time(properties, H5D_FILL_TIME_NEVER), "no fill");
  // Native doubles: the raw write stores the runs' memory as it is.
  const Hdf5Handle d(
      H5Dcreate2(ts, "values", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, properties, H5P_DEFAULT),
      H5Dclose, "create /timeseries/values");
  RawWrite raw;
  if (series.size() * n * t > 0) {
    raw.offset = H5Dget_offset(d);
    if (raw.offset == HADDR_UNDEF) throw Hdf5Error("no storage for /timeseries/values");
  }
  static const std::vector<double> nan_padding(1 << 16, kNaN);
  std::vector<std::string> names, units, long_names;
  for (std::size_t j = 0; j < series.size(); ++j) {
    const MetricInfo& m = series[j];
    names.push_back(m.name);
    units.push_back(m.unit);
    long_names.push_back(m.description);
    for (std::size_t i = 0; i < n && t > 0; ++i) {
      const std::vector<double>* recorded = series_of(runs[i], m, j);
      const std::size_t length = recorded ? std::min(recorded->size(), t) : 0;
      if (length > 0)
        raw.pieces.push_back(iovec{const_cast<double*>(recorded->data()), length * sizeof(double)});
      for (std::size_t left = t - length; left > 0;) {  // NaN after the end of shorter runs
        const std::size_t chunk = std::min(left, nan_padding.size());
        raw.pieces.push_back(
            iovec{const_cast<double*>(nan_padding.data()), chunk * sizeof(double)});
        left -= chunk;
      }
    }
  }
  write_strings(ts, "metric", names, Layout{false});
  write_strings(ts, "units", units, Layout{false});
  write_strings(ts, "long_name", long_names, Layout{false});
  return raw;
}

/// Performs a raw write into the closed file at `path`.
void write_raw(const std::string& path, RawWrite& raw) {
  if (raw.pieces.empty()) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw Hdf5Error(path + ": cannot reopen: " + std::strerror(errno));
  try {
    write_pieces(fd, raw.pieces, static_cast<off_t>(raw.offset),
                 path + ": cannot write the time series");
  } catch (const std::runtime_error& e) {
    ::close(fd);
    throw Hdf5Error(e.what());
  }
  if (::close(fd) != 0)
    throw Hdf5Error(path + ": cannot write the time series: " + std::strerror(errno));
}

/// /interventions: every run's intervention log, each row naming its run (`run`, `run_key`).
Table study_log(const std::vector<RunRecord>& runs) {
  Column run{"run", "1", "row of the run in /runs"};
  run.integer = true;
  Column key{"run_key", "", "the run's stable key", {}, {}, true};
  Table log{kLog, kLogDimension, {run, key}};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Table& own = runs[i].interventions;
    run.numbers.assign(own.rows(), static_cast<double>(i));
    key.strings.assign(own.rows(), runs[i].key);
    Table rows{kLog, kLogDimension, {run, key}};
    rows.columns.insert(rows.columns.end(), own.columns.begin(), own.columns.end());
    log.append(rows);
  }
  return log;
}

void write_int_attribute(hid_t object, const char* name, int value) {
  const Hdf5Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  const Hdf5Handle a(H5Acreate2(object, name, H5T_NATIVE_INT, space, H5P_DEFAULT, H5P_DEFAULT),
                     H5Aclose, std::string("create attribute ") + name);
  check(H5Awrite(a, H5T_NATIVE_INT, &value), std::string("write ") + name);
}

/// Writes the file's HDF5 structure and small data; returns what write_raw must add once it is
/// closed.
RawWrite write_file(const std::string& path, const StudyInfo& study,
                    const std::vector<RunRecord>& runs, Layout layout, const SeriesSource* source) {
  const Hdf5Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                        "create " + path);
  write_string_attribute(file, "format", kStudyFormatName);
  // Kept files label runs by key (version 4); batches and manifests are laid out as before.
  write_int_attribute(file, "format_version",
                      layout.keep            ? kStudyFormatVersion
                      : study.design.empty() ? 2
                                             : 3);
  write_string_attribute(file, "layout", layout.keep ? "tables" : "packed");
  write_string_attribute(file, "software_version", kVersion);
  write_string_attribute(file, "git_commit", kGitCommit);
  write_string_attribute(file, "study_name", study.name);
  write_string_attribute(file, "study_toml", study.study_text);
  std::string names;
  for (const std::string& n : study.parameter_names)
    names += n + "\n";
  write_string_attribute(file, "parameters", names);
  if (!study.design.empty()) write_string_attribute(file, "design", study.design);

  const std::size_t n = runs.size();
  std::vector<double> time;  // the longest run's axis
  for (const RunRecord& r : runs)
    if (r.time.size() > time.size()) time = r.time;
  const Table log = study_log(runs);

  if (layout.keep) {
    const std::vector<Column> columns = run_columns(study, runs);
    const RowLabels labels = run_labels(study, columns);  // run_key first
    write_table(file, "runs", "run", n, columns, layout, labels);
    const SeriesSource own = [&](std::size_t j, const MetricInfo& m, std::vector<double>& v) {
      gather_series(runs, m, j, time.size(), v);
    };
    write_series_tables(file, columns, labels, metrics_of(runs, &RunRecord::series_metrics), time,
                        source ? *source : own, layout);
    write_table(file, log.name, log.dimension, log.rows(), log.columns, layout);
  } else {
    write_packed_table(file, "runs", n, run_columns(study, runs));
    RawWrite raw = write_series_packed(file, runs, time);
    write_packed_table(file, log.name, log.rows(), log.columns);
    check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path);
    return raw;
  }
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path);
  return {};
}

/// The metrics a study file's /timeseries records, in order.
std::vector<MetricInfo> recorded_metrics(hid_t ts, bool packed) {
  std::vector<MetricInfo> out;
  if (packed) {
    const auto names = read_strings(ts, "metric");
    const auto units = read_strings(ts, "units");
    const auto long_names = read_strings(ts, "long_name");
    if (units.size() != names.size() || long_names.size() != names.size())
      throw Hdf5Error("/timeseries: metric, units and long_name differ in length");
    for (std::size_t j = 0; j < names.size(); ++j)
      out.push_back(MetricInfo{names[j], units[j], long_names[j]});
    return out;
  }
  for (const std::string& name : group_members(ts)) {
    if (name == "run" || name == "time") continue;
    const Hdf5Handle d(H5Dopen2(ts, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    const Hdf5Handle space(H5Dget_space(d), H5Sclose, "get dataspace of " + name);
    if (H5Sget_simple_extent_ndims(space) != 2) continue;  // a run coordinate (version 4)
    out.push_back(
        MetricInfo{name, read_string_attribute(d, "units"), read_string_attribute(d, "long_name")});
  }
  return out;
}

/// Metric `j` (named `name`) of every run of a study file, row-major (run, time).
std::vector<double> metric_values(const std::string& path, hid_t ts, bool packed, std::size_t j,
                                  const std::string& name, std::size_t runs, std::size_t times) {
  std::vector<double> values;
  if (packed) {
    const Hdf5Handle d(H5Dopen2(ts, "values", H5P_DEFAULT), H5Dclose, "open /timeseries/values");
    const Hdf5Handle space(H5Dget_space(d), H5Sclose, "get dataspace");
    hsize_t dims[3] = {0, 0, 0};
    if (H5Sget_simple_extent_ndims(space) != 3 ||
        H5Sget_simple_extent_dims(space, dims, nullptr) < 0 || j >= dims[0] || dims[1] != runs ||
        dims[2] != times)
      throw FormatError(path + ": /timeseries/values does not match its runs, times and metrics");
    checked_element_count(d);  // so that runs x times is known to be held by the file
    values.resize(runs * times);
    if (values.empty()) return values;
    const hsize_t start[3] = {j, 0, 0}, count[3] = {1, runs, times};
    check(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr),
          "select " + name);
    const Hdf5Handle memory(H5Screate_simple(3, count, nullptr), H5Sclose, "create memory space");
    check(H5Dread(d, H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, values.data()), "read " + name);
    return values;
  }
  values = read_numbers(ts, name.c_str());
  if (times == 0 ? !values.empty() : values.size() / times != runs || values.size() % times != 0)
    throw Hdf5Error(path + ": /timeseries/" + name + " does not match its runs and times");
  return values;
}

/// Throws unless every column of table `group` has `rows` values (a damaged or foreign file).
void check_rows(const std::string& path, const std::string& group,
                const std::vector<Column>& columns, std::size_t rows) {
  for (const Column& c : columns) {
    const std::size_t n = c.size();
    if (n != rows)
      throw Hdf5Error(path + ": /" + group + "/" + c.name + " has " + std::to_string(n) +
                      " rows, the table " + std::to_string(rows));
  }
}

/// The varied key paths, from the root attribute `parameters` (one per line).
std::vector<std::string> parameter_names_of(hid_t file) {
  std::vector<std::string> names;
  const std::string text = read_string_attribute(file, "parameters");
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    names.push_back(text.substr(start, end - start));
  return names;
}

Hdf5Handle open_study_file(const std::string& path) {
  silence_hdf5_errors();
  if (H5Fis_hdf5(path.c_str()) <= 0) throw Hdf5Error(path + ": not an HDF5 file");
  Hdf5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
  if (read_string_attribute(file, "format") != kStudyFormatName)
    throw FormatError(path + ": not an interdict study file");
  const double version = read_number_attribute(file, "format_version", 0.0);
  if (version > kStudyFormatVersion)
    throw FormatError(path + ": written in study format version " +
                      (version < 1e9 ? std::to_string(static_cast<long>(version)) : "?") +
                      ", newer than this interdict reads (" + std::to_string(kStudyFormatVersion) +
                      ")");
  return file;
}

}  // namespace

namespace {

/// A temporary name beside `path`, unique to this host, process and call: array tasks racing to
/// write the same file never share one.
std::string temporary_beside(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  return path + ".tmp." + host + "." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

/// write_file to `temporary`, then the raw write; removes `temporary` if either fails.
void write_temporary(const std::string& temporary, const StudyInfo& study,
                     const std::vector<RunRecord>& runs, bool keep, const SeriesSource* source) {
  try {
    RawWrite raw;
    {
      const std::lock_guard lock(hdf5_mutex());
      silence_hdf5_errors();
      raw = write_file(temporary, study, runs, Layout{keep}, source);
    }
    write_raw(temporary, raw);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

/// Renames `from` to `to`, or removes `from` and throws naming `to`.
void move_into_place(const std::string& from, const std::string& to) {
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (!ec) return;
  std::error_code ignored;
  std::filesystem::remove(from, ignored);
  throw Hdf5Error(to + ": cannot publish: " + ec.message());
}

/// write_file to a temporary beside `path`, the raw write, then the rename: a reader sees a
/// whole file or none.
void publish(const std::string& path, const StudyInfo& study, const std::vector<RunRecord>& runs,
             bool keep, const SeriesSource* source) {
  const std::string temporary = temporary_beside(path);
  write_temporary(temporary, study, runs, keep, source);
  move_into_place(temporary, path);
}

/// The digest a batch's name records: "runs-<key>-<digest>.h5", or empty for older names.
std::string named_digest(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  constexpr std::size_t kDigest = 16;
  if (!name.starts_with("runs-") || !name.ends_with(".h5") || name.size() < 5 + kDigest + 4)
    return {};
  const std::string digest = name.substr(name.size() - 3 - kDigest, kDigest);
  if (name[name.size() - 4 - kDigest] != '-' ||
      !std::all_of(digest.begin(), digest.end(), [](char c) { return std::isxdigit(c) != 0; }))
    return {};
  return digest;
}

}  // namespace

std::string publish_batch(const std::string& directory, const StudyInfo& study,
                          const std::vector<RunRecord>& runs) {
  const std::filesystem::path dir(directory);
  // Keys interdict makes are hexadecimal; one with other characters (a hostile journal's, with
  // "../" in it) must not name a path.
  const auto plain = [](const std::string& key) {
    return !key.empty() && key.size() <= 64 &&
           std::all_of(key.begin(), key.end(), [](char c) { return std::isalnum(c) != 0; });
  };
  const std::string first =
      !runs.empty() && plain(runs.front().key) ? runs.front().key : std::string("runs");
  const std::string temporary = temporary_beside((dir / ("runs-" + first + ".h5")).string());
  write_temporary(temporary, study, runs, /*keep=*/false, nullptr);
  std::string digest;
  try {
    digest = file_digest(temporary);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Hdf5Error(e.what());
  }
  // The name carries the file's digest: a file already there under it has the same bytes, so
  // the rename never replaces other runs, and a reader checks the bytes before HDF5 sees them.
  const std::string path = (dir / ("runs-" + first + "-" + digest + ".h5")).string();
  // Already published whole (a sweep killed after publishing, before deleting its journal, whose
  // journal a resume publishes again): leave the file as it is.
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && file_digest(path) == digest) {
    std::filesystem::remove(temporary, ec);
    return path;
  }
  move_into_place(temporary, path);
  return path;
}

namespace {

/// Whether a file's bytes match `digest` (true when `digest` is empty: nothing to check).
bool file_intact(const std::string& path, const std::string& digest) {
  return digest.empty() || file_digest(path) == digest;
}

/// Where a manifest's digest is kept.
std::string digest_path_of(const std::string& manifest) {
  return manifest + ".xxh3";
}

}  // namespace

bool batch_intact(const std::string& path) {
  return file_intact(path, named_digest(path));
}

bool manifest_intact(const std::string& path) {
  // Two digests while a manifest is being replaced (see write_manifest): either file is whole.
  std::ifstream in(digest_path_of(path));
  std::vector<std::string> digests;
  for (std::string digest; in >> digest;)
    digests.push_back(digest);
  if (digests.empty()) return true;  // written before digests
  const std::string actual = file_digest(path);
  return std::find(digests.begin(), digests.end(), actual) != digests.end();
}

namespace {

/// Writes `digests` (one a line) to a manifest's digest file, whole or not at all.
void write_digests(const std::string& digest_path, const std::vector<std::string>& digests) {
  const std::string temporary = temporary_beside(digest_path);
  try {
    std::ofstream out(temporary);
    for (const std::string& digest : digests)
      out << digest << "\n";
    out.close();
    if (!out) throw Hdf5Error(digest_path + ": cannot write");
    move_into_place(temporary, digest_path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

}  // namespace

void write_manifest(const std::string& path, const StudyInfo& study,
                    const std::vector<RunRecord>& runs) {
  const std::string temporary = temporary_beside(path);
  write_temporary(temporary, study, runs, /*keep=*/false, nullptr);
  // The digest first: a manifest is never there without the digest it must match. Replacing a
  // manifest (a grown study), the digest file names both until the new one is in place, so a
  // crash between the renames leaves a manifest that is whole either way.
  const std::string digest_path = digest_path_of(path);
  std::string digest;
  try {
    digest = file_digest(temporary);
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
      write_digests(digest_path, {digest, file_digest(path)});
    else
      write_digests(digest_path, {digest});
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
  move_into_place(temporary, path);
  write_digests(digest_path, {digest});
}

std::string read_software_version(const std::string& path) {
  const std::lock_guard lock(hdf5_mutex());
  const Hdf5Handle file = open_study_file(path);
  return read_string_attribute(file, "software_version") + " " +
         read_string_attribute(file, "git_commit");
}

bool is_temporary(const std::string& name) {
  return name.find(".h5.tmp.") != std::string::npos;
}

void write_runs(const std::string& path, const StudyInfo& study, const std::vector<RunRecord>& runs,
                bool keep) {
  publish(path, study, runs, keep, nullptr);
}

void write_runs(const std::string& path, const StudyInfo& study, const std::vector<RunRecord>& runs,
                const SeriesSource& series) {
  publish(path, study, runs, true, &series);
}

bool is_study_file(const std::string& path) {
  const std::lock_guard lock(hdf5_mutex());
  silence_hdf5_errors();
  if (!std::filesystem::is_regular_file(path) || H5Fis_hdf5(path.c_str()) <= 0) return false;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return false;
  const Hdf5Handle handle(file, H5Fclose, "open " + path);
  try {
    return read_string_attribute(handle, "format") == kStudyFormatName;
  } catch (const FormatError&) {
    return false;  // a format attribute that is not a string: not a study file
  }
}

StudyInfo read_study_info(const std::string& path) {
  const std::lock_guard lock(hdf5_mutex());
  return reading_file(path, [&] {
    const Hdf5Handle file = open_study_file(path);
    return StudyInfo{read_string_attribute(file, "study_name"),
                     read_string_attribute(file, "study_toml"), parameter_names_of(file),
                     read_string_attribute(file, "design")};
  });
}

SeriesBlock read_series(const std::string& path, const std::string& metric) {
  const std::lock_guard lock(hdf5_mutex());
  return reading_file(path, [&] {
    const Hdf5Handle file = open_study_file(path);
    const bool packed = read_string_attribute(file, "layout") == "packed";
    // The number of runs from the shape of /runs/run_key: a merge calls this once per metric
    // and file, and reading the keys each time would be work thrown away.
    const Hdf5Handle keys(H5Dopen2(file, "runs/run_key", H5P_DEFAULT), H5Dclose,
                          "open /runs/run_key");
    const Hdf5Handle ts(H5Gopen2(file, "timeseries", H5P_DEFAULT), H5Gclose, "open /timeseries");
    SeriesBlock block;
    block.runs = checked_element_count(keys);
    block.times = read_numbers(ts, "time").size();
    const std::vector<MetricInfo> metrics = recorded_metrics(ts, packed);
    for (std::size_t j = 0; j < metrics.size(); ++j)
      if (metrics[j].name == metric)
        block.values = metric_values(path, ts, packed, j, metric, block.runs, block.times);
    return block;
  });
}

std::vector<std::pair<std::string, std::string>> read_run_status(const std::string& path) {
  const std::lock_guard lock(hdf5_mutex());
  return reading_file(path, [&] {
    const Hdf5Handle file = open_study_file(path);
    const Hdf5Handle runs(H5Gopen2(file, "runs", H5P_DEFAULT), H5Gclose, "open /runs");
    const auto keys = read_strings(runs, "run_key");
    const auto status = read_strings(runs, "status");
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < keys.size(); ++i)
      out.emplace_back(keys[i], i < status.size() ? status[i] : "");
    return out;
  });
}

namespace {

/// The column `name` (text or numbers) of table `group` of the file `path`.
const Column& column_named(const std::string& path, const std::vector<Column>& table,
                           const std::string& group, const std::string& name, bool text) {
  for (const Column& c : table)
    if (c.name == name && c.text == text) return c;
  throw FormatError(path + ": /" + group + " has no " + (text ? "text" : "numeric") + " column " +
                    name);
}

/// A stored replicate number (float64): a whole number from 0 to 2^53, else a damaged file.
std::uint64_t replicate_of(const std::string& path, const std::string& key, double value) {
  if (!(value >= 0.0 && value <= 9007199254740992.0 && std::floor(value) == value))
    throw FormatError(path + ": /runs/replicate of run " + key + " is not a replicate number");
  return static_cast<std::uint64_t>(value);
}

constexpr std::array<const char*, 4> kDesignColumns{"design_point", "design_block", "design_role",
                                                    "design_factor"};

/// Each run's place in a sensitivity design, from the design_* columns of a file that has them.
void read_design_columns(const std::string& path, const std::vector<Column>& columns,
                         std::vector<RunRecord>& out) {
  if (std::none_of(columns.begin(), columns.end(),
                   [](const Column& c) { return c.name == kDesignColumns[0]; }))
    return;
  const auto numbers = [&](const char* name, std::int64_t DesignPoint::*field) {
    const auto& values = column_named(path, columns, "runs", name, false).numbers;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (!(values[i] >= -1.0 && values[i] <= 9007199254740992.0 &&
            std::floor(values[i]) == values[i]))
        throw FormatError(path + ": /runs/" + name + " of run " + out[i].key +
                          " is not a whole number");
      out[i].design.*field = static_cast<std::int64_t>(values[i]);
    }
  };
  numbers("design_point", &DesignPoint::index);
  numbers("design_block", &DesignPoint::block);
  numbers("design_factor", &DesignPoint::factor);
  const auto& roles = column_named(path, columns, "runs", "design_role", true).strings;
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].design.role = roles[i];
}

/// The runs of /runs: identity, parameters (in the study's order), design place and summary
/// metrics (every other numeric column).
std::vector<RunRecord> read_run_table(const std::string& path, hid_t file, bool packed) {
  const std::vector<std::string> parameter_names = parameter_names_of(file);
  const std::vector<Column> columns = read_table(file, "runs", "run", packed);
  const auto find = [&](const std::string& name, bool text) -> const Column& {
    return column_named(path, columns, "runs", name, text);
  };
  const auto& keys = find("run_key", true).strings;
  const auto& variants = find("variant", true).strings;
  const auto& seeds = find("seed", true).strings;
  const auto& status = find("status", true).strings;
  const auto& errors = find("error", true).strings;
  const auto& replicates = find("replicate", false).numbers;
  check_rows(path, "runs", columns, keys.size());
  // Files written before runs had identities lack the column: their runs' identity is empty.
  const auto identity = std::find_if(columns.begin(), columns.end(), [](const Column& c) {
    return c.name == "identity" && c.text;
  });
  std::vector<RunRecord> out(keys.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].key = keys[i];
    out[i].variant = variants[i];
    const auto [end, ec] =
        std::from_chars(seeds[i].data(), seeds[i].data() + seeds[i].size(), out[i].seed);
    if (ec != std::errc() || end != seeds[i].data() + seeds[i].size())
      throw FormatError(path + ": /runs/seed of run " + keys[i] + " is not a seed: " + seeds[i]);
    out[i].status = status[i];
    out[i].error = errors[i];
    if (identity != columns.end()) out[i].identity = identity->strings[i];
    out[i].replicate = replicate_of(path, keys[i], replicates[i]);
  }
  read_design_columns(path, columns, out);
  // Parameters in the study's order; every other numeric column is a summary metric.
  for (const std::string& name : parameter_names) {
    const auto c = std::find_if(columns.begin(), columns.end(),
                                [&](const Column& column) { return column.name == name; });
    if (c == columns.end()) throw FormatError(path + ": /runs has no column " + name);
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (c->text) {
        out[i].parameters.emplace_back(name, c->strings[i]);
        continue;
      }
      char buffer[32];
      const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, c->numbers[i]);
      out[i].parameters.emplace_back(name, std::string(buffer, end));
    }
  }
  for (const Column& c : columns) {
    if (c.text || c.name == "replicate" ||
        std::find(parameter_names.begin(), parameter_names.end(), c.name) !=
            parameter_names.end() ||
        std::find(kDesignColumns.begin(), kDesignColumns.end(), c.name) != kDesignColumns.end())
      continue;
    const MetricInfo info{c.name, c.unit, ""};
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (std::isnan(c.numbers[i]) && out[i].status != "ok") continue;
      out[i].summary_metrics.push_back(info);
      out[i].summary.push_back(c.numbers[i]);
    }
  }
  return out;
}

/// Adds /timeseries (either layout) to the runs: values if `with_series`, else only the
/// metrics and time axis of each successful run.
void read_run_series(const std::string& path, hid_t file, bool packed, bool with_series,
                     std::vector<RunRecord>& out) {
  const Hdf5Handle ts(H5Gopen2(file, "timeseries", H5P_DEFAULT), H5Gclose, "open /timeseries");
  const auto time = read_numbers(ts, "time");
  const std::size_t t = time.size();
  const std::vector<MetricInfo> metrics = recorded_metrics(ts, packed);
  if (!with_series) {
    for (RunRecord& r : out)
      if (r.status == "ok") {
        r.time = time;
        r.series_metrics = metrics;
      }
  }
  for (std::size_t j = 0; j < metrics.size() && with_series; ++j) {
    const std::vector<double> values =
        metric_values(path, ts, packed, j, metrics[j].name, out.size(), t);
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].status != "ok") continue;
      // Drop the NaN padding after the run's last sample.
      std::size_t length = t;
      while (length > 0 && std::isnan(values[i * t + length - 1]))
        --length;
      if (out[i].time.size() < length)
        out[i].time.assign(time.begin(), time.begin() + static_cast<std::ptrdiff_t>(length));
      out[i].series_metrics.push_back(metrics[j]);
      out[i].series.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i * t),
                                 values.begin() + static_cast<std::ptrdiff_t>(i * t + t));
    }
  }
  for (RunRecord& r : out)
    for (auto& s : r.series)
      s.resize(r.time.size());
}

/// Adds each run's intervention log, from /interventions if the file has one: the run's rows,
/// in every column but `run` and `run_key` (runs without rows get the columns).
void read_run_interventions(const std::string& path, hid_t file, bool packed,
                            std::vector<RunRecord>& out) {
  if (H5Lexists(file, kLog, H5P_DEFAULT) <= 0) return;
  const std::vector<Column> log = read_table(file, kLog, kLogDimension, packed);
  const std::vector<double>& row = column_named(path, log, kLog, "run", false).numbers;
  check_rows(path, kLog, log, row.size());
  std::vector<const Column*> own;
  for (const Column& c : log)
    if (c.name != "run" && c.name != "run_key") own.push_back(&c);
  for (RunRecord& r : out) {
    r.interventions = Table{kLog, kLogDimension};
    for (const Column* c : own)
      r.interventions.columns.push_back(Column{c->name, c->unit, c->description, {}, {}, c->text});
  }
  for (std::size_t k = 0; k < row.size(); ++k) {
    if (!(row[k] >= 0.0 && row[k] < static_cast<double>(out.size())))
      throw FormatError(path + ": /interventions names a run that is not there");
    std::vector<Column>& columns = out[static_cast<std::size_t>(row[k])].interventions.columns;
    for (std::size_t j = 0; j < own.size(); ++j) {
      if (own[j]->text)
        columns[j].strings.push_back(own[j]->strings[k]);
      else
        columns[j].numbers.push_back(own[j]->numbers[k]);
    }
  }
}

}  // namespace

std::vector<RunRecord> read_runs(const std::string& path, bool with_series) {
  const std::lock_guard lock(hdf5_mutex());
  return reading_file(path, [&] {
    const Hdf5Handle file = open_study_file(path);
    const bool packed = read_string_attribute(file, "layout") == "packed";
    std::vector<RunRecord> out = read_run_table(path, file, packed);
    read_run_series(path, file, packed, with_series, out);
    read_run_interventions(path, file, packed, out);
    return out;
  });
}

}  // namespace interdict::io
