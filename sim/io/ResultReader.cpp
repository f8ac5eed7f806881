// ResultReader: walks the groups written by ResultWriter.
#include "io/ResultReader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <stdexcept>

#include "io/Hdf5Handle.hpp"
#include "io/Hdf5Support.hpp"
#include "io/ResultWriter.hpp"
#include "io/StudyStore.hpp"

namespace interdict::io {

namespace {

struct AttributeVisit {
  StoredResult* result;
  std::exception_ptr error;  // exceptions must not unwind through HDF5's C frames
};

herr_t visit_attribute(hid_t object, const char* name, const H5A_info_t*, void* data) {
  auto* visit = static_cast<AttributeVisit*>(data);
  try {
    const Hdf5Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose,
                               std::string("open attribute ") + name);
    const Hdf5Handle type(H5Aget_type(attribute), H5Tclose, "get attribute type");
    const H5T_class_t type_class = H5Tget_class(type);
    if (type_class == H5T_STRING) {
      visit->result->text_attributes[name] = read_string_attribute(object, name);
    } else if (type_class == H5T_INTEGER || type_class == H5T_FLOAT) {
      visit->result->number_attributes[name] = read_number_attribute(object, name, 0.0);
    }
    return 0;
  } catch (...) {
    visit->error = std::current_exception();
    return -1;
  }
}

std::vector<double> read_values(hid_t dataset) {
  std::vector<double> values(checked_element_count(dataset));
  if (!values.empty())
    check(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "read " + object_name(dataset));
  return values;
}

std::vector<StoredSeries> read_group(hid_t file, const char* group_name) {
  std::vector<StoredSeries> out;
  if (H5Lexists(file, group_name, H5P_DEFAULT) <= 0) return out;
  const Hdf5Handle group(H5Gopen2(file, group_name, H5P_DEFAULT), H5Gclose,
                         std::string("open ") + group_name);
  // Creation order (the order the model declared its metrics) where the file tracks it.
  const std::vector<std::string> names = group_members(group);
  for (const std::string& name : names) {
    const Hdf5Handle dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose,
                             "open dataset " + name);
    out.push_back(StoredSeries{name, read_string_attribute(dataset, "units"),
                               read_string_attribute(dataset, "long_name"), read_values(dataset)});
  }
  return out;
}

}  // namespace

const StoredSeries& StoredResult::series_named(const std::string& name) const {
  for (const auto& s : series)
    if (s.name == name) return s;
  throw std::out_of_range("no time series named '" + name + "'");
}

double StoredResult::summary_value(const std::string& name) const {
  for (const auto& s : summary)
    if (s.name == name && !s.values.empty()) return s.values.front();
  throw std::out_of_range("no summary value named '" + name + "'");
}

namespace {

StoredResult read_result_file(const std::string& path) {
  silence_hdf5_errors();
  if (!std::filesystem::is_regular_file(path)) throw std::runtime_error(path + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw std::runtime_error(path + ": not an HDF5 file");
  const Hdf5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                        "open " + path);
  StoredResult result;
  AttributeVisit visit{&result, nullptr};
  hsize_t index = 0;
  const herr_t status =
      H5Aiterate2(file, H5_INDEX_NAME, H5_ITER_INC, &index, visit_attribute, &visit);
  if (visit.error) std::rethrow_exception(visit.error);
  check(status, "read root attributes");
  if (result.text_attributes["format"] == kStudyFormatName)
    throw std::runtime_error(path + ": holds study results (" + kStudyFormatName +
                             "), not a single run: open it with interdict_analysis.open_study "
                             "(docs/analysis.md) or h5dump");
  if (result.text_attributes["format"] != kFormatName)
    throw std::runtime_error(path + ": not an interdict result file (no format=\"" + kFormatName +
                             "\" attribute)");
  const double version = result.number_attributes["format_version"];
  if (version > kFormatVersion)
    throw std::runtime_error(path + ": format version " +
                             (version < 1e9 ? std::to_string(static_cast<long>(version)) : "?") +
                             " is newer than this interdict understands (" +
                             std::to_string(kFormatVersion) + "); upgrade interdict");
  auto series = read_group(file, "timeseries");
  for (auto& s : series) {
    if (s.name == "time") {
      result.time = std::move(s.values);
    } else {
      result.series.push_back(std::move(s));
    }
  }
  result.summary = read_group(file, "summary");
  return result;
}

}  // namespace

StoredResult read_result(const std::string& path) {
  return reading_file(path, [&] { return read_result_file(path); });
}

}  // namespace interdict::io
