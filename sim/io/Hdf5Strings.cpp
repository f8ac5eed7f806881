// Hdf5Strings: UTF-8 string types and string attributes.
#include "io/Hdf5Strings.hpp"

namespace interdict::io {

Hdf5Handle utf8_string_type() {
  Hdf5Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "create string type");
  check(H5Tset_size(type, H5T_VARIABLE), "set string size");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8");
  return type;
}

void write_string_attribute(hid_t object, const char* name, const std::string& value) {
  const Hdf5Handle type = utf8_string_type();
  const Hdf5Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  const Hdf5Handle attribute(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                             H5Aclose, std::string("create attribute ") + name);
  const char* text = value.c_str();
  check(H5Awrite(attribute, type, &text), std::string("write attribute ") + name);
}

std::string read_string_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return "";
  const Hdf5Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose,
                             std::string("open attribute ") + name);
  const Hdf5Handle stored(H5Aget_type(attribute), H5Tclose, "get attribute type");
  if (H5Tget_class(stored) != H5T_STRING) return "";
  const Hdf5Handle type = utf8_string_type();
  char* text = nullptr;
  check(H5Aread(attribute, type, &text), std::string("read attribute ") + name);
  std::string value = text ? text : "";
  H5free_memory(text);
  return value;
}

}  // namespace interdict::io
