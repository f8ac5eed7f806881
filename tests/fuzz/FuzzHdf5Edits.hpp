// FuzzHdf5Edits: input bytes decoded into edits of an HDF5 file (attributes and datasets of any
// type, shape, size and layout; objects deleted or replaced), leaving a valid HDF5 file with
// hostile contents.
#pragma once

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "FuzzSupport.hpp"

namespace interdict::fuzz {

namespace edits {

constexpr double kNumbers[] = {
    0.0,  1.0,  -1.0, 0.5, 7.0,    NAN,  INFINITY, -INFINITY, 1e300, 9007199254740993.0,
    1e20, -0.0, 2.0,  3.0, 1e-310, 365.0};
const char* const kTexts[] = {"",
                              "ok",
                              "failed",
                              "k0",
                              "k1",
                              "v",
                              "7",
                              "18446744073709551615",
                              "-1",
                              "interdict-study",
                              "interdict-result",
                              "packed",
                              "\xff\xfe\xc3(",
                              "delivered_kg",
                              "seized_kg",
                              "time",
                              "run",
                              "a\nb",
                              "q\"\\\x01",
                              "routes.sea.exposure\n"};
const char* const kAttributes[] = {"format",     "format_version", "layout",    "study_name",
                                   "study_toml", "parameters",     "units",     "long_name",
                                   "seed",       "scenario_toml",  "replicate", "CLASS"};
const char* const kDatasets[] = {"run_key",   "variant", "seed",    "status",       "error",
                                 "replicate", "values",  "column",  "units",        "long_name",
                                 "metric",    "time",    "run",     "delivered_kg", "seized_kg",
                                 "id",        "action",  "targets", "arrests",      "cost"};
const char* const kGroups[] = {"/", "/runs", "/timeseries", "/summary", "/interventions"};

template <class T, std::size_t N>
const T& pick(Choices& c, const T (&table)[N]) {
  return table[c.pick(N)];
}

/// Every group and dataset of the file, by path, in name order.
inline std::vector<std::string> objects(hid_t file) {
  std::vector<std::string> out;
  H5Lvisit(
      file, H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->push_back(std::string("/") + name);
        return 0;
      },
      &out);
  return out;
}

/// A type chosen by the input, and how to fill a buffer of `n` values of it.
struct Type {
  hid_t id = -1;
  std::vector<char> data;
  std::vector<const char*> strings;  // variable-length strings point here
  void* buffer() { return strings.empty() ? static_cast<void*>(data.data()) : strings.data(); }
};

inline Type make_type(Choices& c, std::size_t n) {
  Type t;
  switch (c.pick(7)) {
    case 0:  // float64: numbers
      t.id = H5Tcopy(H5T_IEEE_F64LE);
      break;
    case 1:  // variable-length UTF-8 strings
      t.id = H5Tcopy(H5T_C_S1);
      H5Tset_size(t.id, H5T_VARIABLE);
      H5Tset_cset(t.id, c.pick(2) ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
      for (std::size_t i = 0; i < n; ++i)
        t.strings.push_back(pick(c, kTexts));
      return t;
    case 2:  // fixed-length strings, any padding
      t.id = H5Tcopy(H5T_C_S1);
      H5Tset_size(t.id, 1 + c.pick(24));
      H5Tset_strpad(t.id, static_cast<H5T_str_t>(c.pick(3)));
      break;
    case 3:
      t.id = H5Tcopy(H5T_STD_I32LE);
      break;
    case 4:
      t.id = H5Tcopy(H5T_STD_U8LE);
      break;
    case 5: {  // a compound of a double and an int
      t.id = H5Tcreate(H5T_COMPOUND, 16);
      H5Tinsert(t.id, "x", 0, H5T_IEEE_F64LE);
      H5Tinsert(t.id, "n", 8, H5T_STD_I32LE);
      break;
    }
    default: {  // an array of three doubles per element
      const hsize_t three = 3;
      t.id = H5Tarray_create2(H5T_IEEE_F64LE, 1, &three);
    }
  }
  const std::size_t element = H5Tget_size(t.id);
  t.data.resize(n * element);
  for (std::size_t i = 0; i < n; ++i) {
    if (element >= sizeof(double) && H5Tget_class(t.id) != H5T_STRING) {
      const double x = pick(c, kNumbers);
      std::memcpy(t.data.data() + i * element, &x, sizeof x);
    } else {
      const char* text = pick(c, kTexts);
      std::strncpy(t.data.data() + i * element, text, element);
    }
  }
  return t;
}

/// A dataspace: scalar, null, or simple of rank 1-3 (sizes small, or huge when `huge_ok`).
inline hid_t make_space(Choices& c, bool huge_ok, std::size_t& points) {
  const std::size_t kind = c.pick(8);
  points = 1;
  if (kind == 0) return H5Screate(H5S_SCALAR);
  if (kind == 1) {
    points = 0;
    return H5Screate(H5S_NULL);
  }
  const int rank = 1 + static_cast<int>(c.pick(3));
  hsize_t dims[3];
  bool huge = false;
  for (int i = 0; i < rank; ++i) {
    const std::uint8_t b = c.byte();
    huge = huge || (huge_ok && b >= 240);
    dims[i] = b >= 240 && huge_ok ? hsize_t{1} << (16 + (b - 240)) : b % 6;
    points *= static_cast<std::size_t>(dims[i]);
  }
  if (huge) points = 0;  // declared, never written
  return H5Screate_simple(rank, dims, nullptr);
}

inline void set_attribute(hid_t file, const std::vector<std::string>& paths, Choices& c) {
  const std::string& object = paths.empty() ? "/" : paths[c.pick(paths.size())];
  const char* name = pick(c, kAttributes);
  const hid_t target = H5Oopen(file, object.c_str(), H5P_DEFAULT);
  if (target < 0) return;
  if (H5Aexists(target, name) > 0) H5Adelete(target, name);
  std::size_t points = 0;
  const hid_t space = make_space(c, false, points);
  Type type = make_type(c, points);
  if (!c.pick(8)) {  // removed only
    H5Sclose(space);
    H5Tclose(type.id);
    H5Oclose(target);
    return;
  }
  const hid_t a = H5Acreate2(target, name, type.id, space, H5P_DEFAULT, H5P_DEFAULT);
  if (a >= 0 && points > 0) H5Awrite(a, type.id, type.buffer());
  if (a >= 0) H5Aclose(a);
  H5Sclose(space);
  H5Tclose(type.id);
  H5Oclose(target);
}

/// Creates (replacing any) dataset `path` of a chosen type, shape and layout.
inline void set_dataset(hid_t file, const std::string& path, Choices& c) {
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) > 0) H5Ldelete(file, path.c_str(), H5P_DEFAULT);
  std::size_t points = 0;
  const hid_t space = make_space(c, true, points);
  Type type = make_type(c, points);
  const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
  const std::size_t layout = c.pick(4);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (layout >= 1 && rank > 0) {  // chunked, compressed when 2
    std::vector<hsize_t> chunk(static_cast<std::size_t>(rank), 1 + c.pick(4));
    H5Pset_chunk(properties, rank, chunk.data());
    if (layout == 2) H5Pset_deflate(properties, 1);
    if (layout == 3) H5Pset_shuffle(properties);
  }
  const hid_t d =
      H5Dcreate2(file, path.c_str(), type.id, space, H5P_DEFAULT, properties, H5P_DEFAULT);
  if (d >= 0 && points > 0 && points <= 4096)
    H5Dwrite(d, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, type.buffer());
  if (d >= 0) H5Dclose(d);
  H5Pclose(properties);
  H5Sclose(space);
  H5Tclose(type.id);
}

}  // namespace edits

/// Applies edits decoded from `choices` to the HDF5 file at `path` until the input runs out
/// (at most 24).
inline void apply_hdf5_edits(const std::string& path, Choices& c) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (file < 0) return;
  for (int n = 0; n < 24 && !c.done(); ++n) {
    const std::vector<std::string> paths = edits::objects(file);
    const std::string existing = paths.empty() ? "/runs" : paths[c.pick(paths.size())];
    switch (c.pick(5)) {
      case 0:
        edits::set_attribute(file, paths, c);
        break;
      case 1:  // an existing dataset (or group) replaced by a dataset
        edits::set_dataset(file, existing, c);
        break;
      case 2: {  // a new dataset among the ones readers look for
        const std::string group = edits::pick(c, edits::kGroups);
        edits::set_dataset(file,
                           (group == "/" ? "" : group) + "/" + edits::pick(c, edits::kDatasets), c);
        break;
      }
      case 3:  // deleted
        H5Ldelete(file, existing.c_str(), H5P_DEFAULT);
        break;
      default: {  // replaced by an empty group
        H5Ldelete(file, existing.c_str(), H5P_DEFAULT);
        const hid_t g = H5Gcreate2(file, existing.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g >= 0) H5Gclose(g);
      }
    }
  }
  H5Fclose(file);
}

}  // namespace interdict::fuzz
