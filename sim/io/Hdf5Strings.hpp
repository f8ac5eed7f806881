// Hdf5Strings: UTF-8 string types and string attributes, shared by the HDF5 writers and readers.
#pragma once

#include <hdf5.h>

#include <string>

#include "io/Hdf5Handle.hpp"

namespace interdict::io {

/// Variable-length UTF-8 string type.
Hdf5Handle utf8_string_type();

/// Writes a scalar UTF-8 string attribute.
void write_string_attribute(hid_t object, const char* name, const std::string& value);

/// Reads a string attribute; "" when it is absent or not a string.
std::string read_string_attribute(hid_t object, const char* name);

}  // namespace interdict::io
