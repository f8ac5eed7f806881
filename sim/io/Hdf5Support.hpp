// Hdf5Support: datasets, UTF-8 strings, string attributes and group listings, shared by the
// HDF5 writers and readers.
#pragma once

#include <hdf5.h>

#include <span>
#include <string>
#include <vector>

#include "io/Hdf5Handle.hpp"

namespace interdict::io {

/// Variable-length UTF-8 string type.
Hdf5Handle utf8_string_type();

/// Writes a scalar UTF-8 string attribute.
void write_string_attribute(hid_t object, const char* name, const std::string& value);

/// Reads a string attribute; "" when it is absent or not a string.
std::string read_string_attribute(hid_t object, const char* name);

/// Names of a group's members, in creation order where the file tracks it, else by name.
std::vector<std::string> group_members(hid_t group);

/// How a dataset is stored. Kept files are chunked, compressed (numbers) and extendible;
/// write-once files (a sweep's batches) are contiguous and uncompressed, cheap to write.
struct Layout {
  bool keep = true;
};

/// Creates a dataset of the given type and shape.
Hdf5Handle create_dataset(hid_t group, const std::string& name, hid_t type,
                          const std::vector<hsize_t>& dims, Layout layout);

/// A 1-D float64 dataset holding `values`.
Hdf5Handle write_numbers(hid_t group, const std::string& name, std::span<const double> values,
                         Layout layout);

/// A 1-D dataset of UTF-8 strings.
Hdf5Handle write_strings(hid_t group, const std::string& name,
                         const std::vector<std::string>& values, Layout layout);

}  // namespace interdict::io
