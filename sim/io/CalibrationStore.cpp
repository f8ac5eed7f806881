// CalibrationStore: writing calibration.h5 with dimension scales, so that
// xarray.open_dataset(path, engine="h5netcdf") gives every array with its labels.
#include "io/CalibrationStore.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <tuple>

#include "core/Version.hpp"
#include "io/Hdf5Support.hpp"

namespace interdict::io {

namespace {

using Dims = std::vector<hsize_t>;

/// A float64 dataset of shape `dims` holding `values` (row-major), with its units.
Hdf5Handle numbers(hid_t file, const std::string& name, const Dims& dims,
                   const std::vector<double>& values, const char* units, const char* long_name) {
  Hdf5Handle dataset = create_dataset(file, name, H5T_IEEE_F64LE, dims, Layout{false});
  if (!values.empty())
    check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write " + name);
  write_string_attribute(dataset, "units", units);
  write_string_attribute(dataset, "long_name", long_name);
  return dataset;
}

/// An integer dimension scale 0..n-1.
Hdf5Handle index_scale(hid_t file, const std::string& name, std::size_t n, const char* long_name) {
  std::vector<std::int64_t> index(n);
  for (std::size_t i = 0; i < n; ++i)
    index[i] = static_cast<std::int64_t>(i);
  Hdf5Handle dataset = create_dataset(file, name, H5T_STD_I64LE, {n}, Layout{false});
  if (n)
    check(H5Dwrite(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, index.data()),
          "write " + name);
  write_string_attribute(dataset, "long_name", long_name);
  check(H5DSset_scale(dataset, name.c_str()), "make " + name + " a scale");
  return dataset;
}

Hdf5Handle string_scale(hid_t file, const std::string& name, const std::vector<std::string>& values,
                        const char* long_name) {
  Hdf5Handle dataset = write_strings(file, name, values, Layout{false});
  write_string_attribute(dataset, "long_name", long_name);
  check(H5DSset_scale(dataset, name.c_str()), "make " + name + " a scale");
  return dataset;
}

void attach(hid_t dataset, const std::vector<hid_t>& scales) {
  for (unsigned i = 0; i < scales.size(); ++i)
    check(H5DSattach_scale(dataset, scales[i], i), "attach a dimension scale");
}

/// Every generation's vector `field`, one after the other.
template <class Field>
std::vector<double> stacked(const CalibrationFile& f, Field field) {
  std::vector<double> out;
  for (const CalibrationGeneration& g : f.generations) {
    const std::vector<double>& v = g.*field;
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

/// Every generation's scalar `field`, as T.
template <class T, class Field>
std::vector<T> per_generation(const CalibrationFile& f, Field field) {
  std::vector<T> out;
  for (const CalibrationGeneration& g : f.generations)
    out.push_back(static_cast<T>(g.*field));
  return out;
}

/// A 1-D int64 dataset.
Hdf5Handle integers(hid_t file, const std::string& name, const std::vector<std::int64_t>& values,
                    const char* long_name) {
  Hdf5Handle dataset = create_dataset(file, name, H5T_STD_I64LE, {values.size()}, Layout{false});
  if (!values.empty())
    check(H5Dwrite(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write " + name);
  write_string_attribute(dataset, "units", "1");
  write_string_attribute(dataset, "long_name", long_name);
  return dataset;
}

void write_contents(hid_t file, const CalibrationFile& f) {
  write_string_attribute(file, "format", kCalibrationFormatName);
  write_string_attribute(file, "format_version", std::to_string(kCalibrationFormatVersion));
  write_string_attribute(file, "software_version", std::string(kVersion) + " " + kGitCommit);
  write_string_attribute(file, "calibration_name", f.name);
  write_string_attribute(file, "calibration_toml", f.calibration_text);
  write_string_attribute(file, "scenario_toml", f.scenario_text);
  write_string_attribute(file, "stopped", f.stopped);
  write_string_attribute(file, "predictive_directory", f.predictive_directory);
  write_string_attribute(file, "particles", std::to_string(f.particles));
  write_string_attribute(file, "replicates", std::to_string(f.replicates));
  const hsize_t G = f.generations.size(), N = f.particles, K = f.parameters.size(),
                M = f.targets.size();
  const Hdf5Handle generation = index_scale(file, "generation", G, "generation");
  const Hdf5Handle particle = index_scale(file, "particle", N, "particle");
  const Hdf5Handle parameter = string_scale(file, "parameter", f.parameters, "scenario key");
  const Hdf5Handle target = string_scale(file, "target", f.targets, "target");
  const auto with = [&](Hdf5Handle dataset, std::vector<hid_t> scales) { attach(dataset, scales); };
  with(numbers(file, "theta", {G, N, K}, stacked(f, &CalibrationGeneration::theta), "",
               "parameter value of each particle"),
       {generation, particle, parameter});
  with(numbers(file, "weight", {G, N}, stacked(f, &CalibrationGeneration::weight), "1",
               "importance weight (sums to 1 in each generation)"),
       {generation, particle});
  with(numbers(file, "distance", {G, N}, stacked(f, &CalibrationGeneration::distance), "1",
               "distance to the observations, in units of their sd"),
       {generation, particle});
  with(numbers(file, "statistic", {G, N, M}, stacked(f, &CalibrationGeneration::statistic), "",
               "simulated target statistic, mean over replicates"),
       {generation, particle, target});
  const std::tuple<const char*, std::vector<double>, const char*> per[] = {
      {"epsilon", per_generation<double>(f, &CalibrationGeneration::epsilon),
       "tolerance: largest distance kept (inf: none)"},
      {"acceptance_rate", per_generation<double>(f, &CalibrationGeneration::acceptance_rate),
       "share of the particles simulated that were within the tolerance"},
      {"ess", per_generation<double>(f, &CalibrationGeneration::ess),
       "effective sample size of the weights"}};
  for (const auto& [name, values, meaning] : per)
    with(numbers(file, name, {G}, values, "1", meaning), {generation});
  const std::tuple<const char*, std::vector<std::int64_t>, const char*> counted[] = {
      {"simulated", per_generation<std::int64_t>(f, &CalibrationGeneration::simulated),
       "particles simulated"},
      {"runs", per_generation<std::int64_t>(f, &CalibrationGeneration::runs),
       "runs, replicates included"},
      {"failed", per_generation<std::int64_t>(f, &CalibrationGeneration::failed),
       "particles with a failed run or an undefined statistic"}};
  for (const auto& [name, values, meaning] : counted)
    with(integers(file, name, values, meaning), {generation});
  const hsize_t P = K ? f.predictive_theta.size() / K : 0;
  const Hdf5Handle predictive = index_scale(file, "predictive_run", P, "posterior-predictive run");
  with(numbers(file, "predictive_theta", {P, K}, f.predictive_theta, "",
               "parameter value of each posterior-predictive run"),
       {predictive, parameter});
  with(numbers(file, "predictive_statistic", {P, M}, f.predictive_statistic, "",
               "target statistic of each posterior-predictive run"),
       {predictive, target});
  with(numbers(file, "observed", {M}, f.observed, "", "observed value"), {target});
  with(numbers(file, "observed_sd", {M}, f.observed_sd, "", "uncertainty of the observed value"),
       {target});
  for (const auto& [name, values, long_name] :
       {std::tuple{"metric", &f.target_metrics, "time series the target reads"},
        std::tuple{"statistic_kind", &f.statistics, "statistic of the target"}}) {
    const Hdf5Handle dataset = write_strings(file, name, *values, Layout{false});
    write_string_attribute(dataset, "long_name", long_name);
    attach(dataset, {target});
  }
  const Hdf5Handle prior = write_strings(file, "prior", f.priors, Layout{false});
  write_string_attribute(prior, "long_name", "prior distribution");
  attach(prior, {parameter});
}

}  // namespace

void write_calibration(const std::string& path, const CalibrationFile& f) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  try {
    const std::lock_guard lock(hdf5_mutex());
    silence_hdf5_errors();
    const Hdf5Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                          H5Fclose, "create " + temporary);
    write_contents(file, f);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Hdf5Error(path + ": cannot write: " + ec.message());
  }
}

}  // namespace interdict::io
