// ResultWriter: the HDF5 layout of a single run (see docs/output-format.md).
#include "io/ResultWriter.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <span>
#include <vector>

#include "core/Version.hpp"
#include "io/Hdf5Handle.hpp"
#include "io/Hdf5Support.hpp"

namespace interdict::io {

namespace {

template <class T>
void write_number_attribute(hid_t object, const char* name, hid_t type, T value) {
  const Hdf5Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  const Hdf5Handle attribute(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                             H5Aclose, std::string("create attribute ") + name);
  check(H5Awrite(attribute, type, &value), std::string("write attribute ") + name);
}

void describe(hid_t object, const MetricInfo& metric) {
  write_string_attribute(object, "units", metric.unit);
  write_string_attribute(object, "long_name", metric.description);
}

/// A table at the path its name gives ("interventions", "network/nodes"), groups created on the
/// way (tracking creation order, as every group of the file).
void write_table_at(hid_t file, const Table& table) {
  Hdf5Handle group;  // the innermost group on the way, if any
  std::size_t start = 0;
  for (std::size_t slash; (slash = table.name.find('/', start)) != std::string::npos;
       start = slash + 1) {
    const std::string path = table.name.substr(0, slash);
    group = H5Lexists(file, path.c_str(), H5P_DEFAULT) > 0
                ? Hdf5Handle(H5Gopen2(file, path.c_str(), H5P_DEFAULT), H5Gclose, "open /" + path)
                : Hdf5Handle(H5Gcreate2(file, path.c_str(), H5P_DEFAULT, ordered_group_properties(),
                                        H5P_DEFAULT),
                             H5Gclose, "create group /" + path);
  }
  write_table(start > 0 ? group.get() : file, table.name.substr(start), table.dimension,
              table.rows(), table.columns, Layout{});
}

void write_measure_attributes(hid_t file, const MeasureAttributes& m) {
  if (m.method.empty()) return;
  write_string_attribute(file, "network_measures_method", m.method);
  write_number_attribute(file, "network_measures_exact_limit", H5T_NATIVE_UINT64, m.exact_limit);
  write_number_attribute(file, "network_measures_confidence", H5T_NATIVE_DOUBLE, m.confidence);
  write_number_attribute(file, "network_measures_sampled", H5T_NATIVE_UINT64, m.sampled);
  write_number_attribute(file, "network_measures_pairs", H5T_NATIVE_UINT64, m.largest_sample);
  write_number_attribute(file, "efficiency_error", H5T_NATIVE_DOUBLE, m.efficiency_error);
  write_number_attribute(file, "betweenness_centralisation_error", H5T_NATIVE_DOUBLE,
                         m.betweenness_centralisation_error);
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

/// Writes the result into `file`, created by the caller (on disk or in memory) as `path`.
void write_result(hid_t file, const std::string& path, const MemoryRecorder& data,
                  const RunInfo& info) {
  write_string_attribute(file, "format", kFormatName);
  write_number_attribute(file, "format_version", H5T_NATIVE_INT, kFormatVersion);
  write_string_attribute(file, "software_version", kVersion);
  write_string_attribute(file, "git_commit", kGitCommit);
  write_string_attribute(file, "scenario_name", info.scenario_name);
  write_string_attribute(file, "scenario_path", info.scenario_path);
  write_string_attribute(file, "scenario_toml", info.scenario_text);
  if (!info.scenario_resolved_text.empty())
    write_string_attribute(file, "scenario_resolved_toml", info.scenario_resolved_text);
  write_string_attribute(file, "scenario_overrides", info.scenario_overrides);
  write_number_attribute(file, "seed", H5T_NATIVE_UINT64, info.seed);
  write_number_attribute(file, "replicate", H5T_NATIVE_UINT64, info.replicate);
  write_number_attribute(file, "duration_days", H5T_NATIVE_DOUBLE, info.duration_days);
  write_number_attribute(file, "events_handled", H5T_NATIVE_UINT64, info.events_handled);
  write_string_attribute(file, "created", utc_now_iso8601());
  write_measure_attributes(file, info.measures);

  // Groups remember creation order, so readers list metrics in the order the model declared them.
  const Hdf5Handle ordered = ordered_group_properties();
  const Hdf5Handle series(H5Gcreate2(file, "timeseries", H5P_DEFAULT, ordered, H5P_DEFAULT),
                          H5Gclose, "create group /timeseries");
  const Hdf5Handle time = write_numbers(series, "time", data.times(), Layout{});
  describe(time, {"time", "simulation days", "simulated time since the start of the run"});
  check(H5DSset_scale(time, "time"), "make time a dimension scale");
  for (std::size_t i = 0; i < data.series().size(); ++i) {
    const MetricInfo& metric = data.series()[i];
    const Hdf5Handle dataset = write_numbers(series, metric.name, data.values(i), Layout{});
    describe(dataset, metric);
    check(H5DSattach_scale(dataset, time, 0), "attach time to " + metric.name);
  }

  const Hdf5Handle summary(H5Gcreate2(file, "summary", H5P_DEFAULT, ordered, H5P_DEFAULT), H5Gclose,
                           "create group /summary");
  const Hdf5Handle scalar(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  for (const auto& [metric, value] : data.summaries()) {
    const Hdf5Handle dataset(H5Dcreate2(summary, metric.name.c_str(), H5T_IEEE_F64LE, scalar,
                                        H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                             H5Dclose, "create summary " + metric.name);
    check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value),
          "write " + metric.name);
    describe(dataset, metric);
  }
  for (const Table& table : data.tables())
    write_table_at(file, table);
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path);
}

void write_file(const std::string& path, const MemoryRecorder& data, const RunInfo& info) {
  const Hdf5Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                        "create " + path);
  write_result(file, path, data, info);
}

/// `write` makes PATH.tmp, which is then renamed to PATH: a reader finds a whole file or none
/// (the temporary is removed when anything fails).
template <class Write>
void publish(const std::string& path, Write&& write) {
  const std::string temporary = path + ".tmp";
  try {
    write(temporary);
    std::filesystem::rename(temporary, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

}  // namespace

void detach_hdf5_from_exit() {
  H5dont_atexit();
}

void silence_hdf5_errors() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

std::vector<unsigned char> ResultWriter::image(const RunInfo& info) const {
  const std::lock_guard lock(hdf5_mutex());  // a sweep's workers may be writing batches
  silence_hdf5_errors();
  // A name unique in this process: HDF5 refuses to create a file it holds open under that name.
  static std::atomic<std::uint64_t> images{0};
  const std::string name = "interdict-image-" + std::to_string(images++);
  const Hdf5Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file access properties");
  check(H5Pset_fapl_core(access, 1 << 20, /*backing_store=*/false), "use HDF5's core driver");
  const Hdf5Handle file(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), H5Fclose,
                        "create an in-memory result");
  write_result(file, name, *this, info);
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  if (size < 0) throw Hdf5Error("size the in-memory result");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  if (H5Fget_file_image(file, bytes.data(), bytes.size()) != size)
    throw Hdf5Error("copy the in-memory result");
  return bytes;
}

void ResultWriter::commit_image(const std::vector<unsigned char>& bytes) const {
  publish(path_, [&](const std::string& temporary) {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temporary + ": " + std::strerror(errno));
  });
}

void ResultWriter::commit(const RunInfo& info) const {
  const std::lock_guard lock(hdf5_mutex());
  silence_hdf5_errors();
  publish(path_, [&](const std::string& temporary) { write_file(temporary, *this, info); });
}

}  // namespace interdict::io
