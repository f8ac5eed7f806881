// Hdf5Support: datasets, UTF-8 strings, string attributes and group listings.
#include "io/Hdf5Support.hpp"

#include <hdf5_hl.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <thread>

namespace interdict::io {

namespace {

/// Deflate level of kept files' numbers.
constexpr int kDeflateLevel = 4;

/// Chunk shape of a kept dataset.
std::vector<hsize_t> kept_chunk(const std::vector<hsize_t>& dims) {
  std::vector<hsize_t> chunk(dims);
  const hsize_t limit = dims.size() == 1 ? 4096 : 1024;
  for (hsize_t& c : chunk)
    c = std::clamp<hsize_t>(c, 1, limit);
  return chunk;
}

/// One chunk of a (rows x cols) row-major array of doubles, as HDF5's shuffle then deflate
/// filters store it: the chunk whole (NaN outside the array), its bytes regrouped by position
/// within the 8-byte element, then zlib-compressed.
std::vector<unsigned char> compressed_chunk(const std::vector<double>& values, hsize_t rows,
                                            hsize_t cols, hsize_t first_row, hsize_t first_col,
                                            const std::vector<hsize_t>& chunk) {
  const std::size_t elements = chunk[0] * chunk[1];
  std::vector<double> block(elements, std::numeric_limits<double>::quiet_NaN());
  for (hsize_t r = 0; r < chunk[0] && first_row + r < rows; ++r) {
    const hsize_t width = std::min(chunk[1], cols - first_col);
    std::copy_n(values.begin() + static_cast<std::ptrdiff_t>((first_row + r) * cols + first_col),
                width, block.begin() + static_cast<std::ptrdiff_t>(r * chunk[1]));
  }
  static_assert(std::endian::native == std::endian::little,
                "kept files store little-endian doubles: bytes are shuffled as they lie in memory");
  std::vector<unsigned char> shuffled(elements * sizeof(double));
  const auto* bytes = reinterpret_cast<const unsigned char*>(block.data());
  for (std::size_t i = 0; i < elements; ++i)
    for (std::size_t k = 0; k < sizeof(double); ++k)
      shuffled[k * elements + i] = bytes[i * sizeof(double) + k];
  uLongf size = compressBound(static_cast<uLong>(shuffled.size()));
  std::vector<unsigned char> out(size);
  if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(shuffled.size()),
                kDeflateLevel) != Z_OK)
    throw Hdf5Error("zlib: cannot compress a chunk");
  out.resize(size);
  return out;
}

}  // namespace

std::recursive_mutex& hdf5_mutex() {
  static std::recursive_mutex m;
  return m;
}

namespace {

herr_t note_cause(unsigned depth, const H5E_error2_t* error, void* data) {
  auto& cause = *static_cast<std::string*>(data);
  const std::string desc = error->desc ? error->desc : "";
  // A system call's failure reads "..., errno = 28, error message = 'No space left on device'".
  const auto at = desc.find("error message = '");
  if (at != std::string::npos) {
    const auto start = at + 17;
    cause = desc.substr(start, desc.find('\'', start) - start);
    return 1;  // the root cause: stop
  }
  if (depth == 0) cause = desc;
  return 0;
}

}  // namespace

std::string hdf5_cause() {
  std::string cause;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, note_cause, &cause);
  return cause;
}

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

std::string object_name(hid_t object) {
  std::string file(static_cast<std::size_t>(std::max<ssize_t>(H5Fget_name(object, nullptr, 0), 0)),
                   '\0');
  if (!file.empty()) H5Fget_name(object, file.data(), file.size() + 1);
  std::string path(static_cast<std::size_t>(std::max<ssize_t>(H5Iget_name(object, nullptr, 0), 0)),
                   '\0');
  if (!path.empty()) H5Iget_name(object, path.data(), path.size() + 1);
  return file + ":" + path;
}

namespace {

/// The attribute `name` of `object`, checked to hold one value: scalar, or of one element.
Hdf5Handle open_single_attribute(hid_t object, const char* name, const std::string& where) {
  Hdf5Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, "open attribute " + where);
  const Hdf5Handle space(H5Aget_space(attribute), H5Sclose, "get dataspace of " + where);
  if (H5Sget_simple_extent_npoints(space) != 1)
    throw FormatError(where + " is not a single value (it has " +
                      std::to_string(H5Sget_simple_extent_npoints(space)) + ")");
  return attribute;
}

/// One fixed-length string of `size` bytes as its text: up to the first NUL, or without the
/// trailing spaces of a space-padded string.
std::string fixed_string(const char* bytes, std::size_t size, H5T_str_t padding) {
  std::string text(bytes, size);
  if (padding == H5T_STR_SPACEPAD) return text.substr(0, text.find_last_not_of(' ') + 1);
  return text.substr(0, text.find('\0'));
}

}  // namespace

std::string read_string_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return "";
  const std::string where = object_name(object) + " attribute " + name;
  const Hdf5Handle attribute = open_single_attribute(object, name, where);
  const Hdf5Handle stored(H5Aget_type(attribute), H5Tclose, "get type of " + where);
  if (H5Tget_class(stored) != H5T_STRING) throw FormatError(where + " is not a string");
  // Read as stored (same size, padding and character set): HDF5 converts neither between
  // fixed and variable length nor between character sets.
  const Hdf5Handle memory(H5Tcopy(stored), H5Tclose, "copy type of " + where);
  if (H5Tis_variable_str(stored) > 0) {
    char* text = nullptr;
    check(H5Aread(attribute, memory, &text), "read " + where);
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  const std::size_t size = H5Tget_size(stored);
  if (size == 0 || size > H5Aget_storage_size(attribute))
    throw FormatError(where + " declares more text than it stores");
  std::vector<char> bytes(size);
  check(H5Aread(attribute, memory, bytes.data()), "read " + where);
  return fixed_string(bytes.data(), size, H5Tget_strpad(stored));
}

double read_number_attribute(hid_t object, const char* name, double fallback) {
  if (H5Aexists(object, name) <= 0) return fallback;
  const std::string where = object_name(object) + " attribute " + name;
  const Hdf5Handle attribute = open_single_attribute(object, name, where);
  const Hdf5Handle stored(H5Aget_type(attribute), H5Tclose, "get type of " + where);
  const H5T_class_t type_class = H5Tget_class(stored);
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
    throw FormatError(where + " is not a number");
  double value = 0.0;
  check(H5Aread(attribute, H5T_NATIVE_DOUBLE, &value), "read " + where);
  return value;
}

namespace {

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

}  // namespace

std::vector<std::string> group_members(hid_t group) {
  std::vector<std::string> names;
  if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_name, &names) < 0) {
    names.clear();
    check(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names),
          "list group");
  }
  return names;
}

Hdf5Handle create_dataset(hid_t group, const std::string& name, hid_t type,
                          const std::vector<hsize_t>& dims, Layout layout) {
  std::vector<hsize_t> max(dims);
  if (layout.keep) std::fill(max.begin(), max.end(), H5S_UNLIMITED);
  const Hdf5Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max.data()),
                         H5Sclose, "create dataspace");
  const Hdf5Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  if (layout.keep) {
    const std::vector<hsize_t> chunk = kept_chunk(dims);
    check(H5Pset_chunk(properties, static_cast<int>(chunk.size()), chunk.data()), "set chunking");
    if (H5Tget_class(type) != H5T_STRING) {  // write_compressed relies on this pipeline
      check(H5Pset_shuffle(properties), "set shuffle filter");
      check(H5Pset_deflate(properties, kDeflateLevel), "set deflate filter");
    }
  }
  return Hdf5Handle(
      H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, properties, H5P_DEFAULT), H5Dclose,
      "create dataset " + name);
}

void write_compressed(const std::vector<CompressedTarget>& targets) {
  // Every chunk of every target, compressed by all cores at once, then stored in order.
  struct Chunk {
    const CompressedTarget* target;
    hsize_t offset[2];
    std::vector<unsigned char> bytes;
  };
  std::vector<Chunk> chunks;
  for (const CompressedTarget& t : targets) {
    if (t.rows * t.cols == 0) continue;
    const std::vector<hsize_t> chunk = kept_chunk({t.rows, t.cols});
    for (hsize_t r = 0; r < t.rows; r += chunk[0])
      for (hsize_t c = 0; c < t.cols; c += chunk[1])
        chunks.push_back(Chunk{&t, {r, c}, {}});
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  const auto compress = [&] {
    try {
      for (std::size_t i; (i = next++) < chunks.size();) {
        Chunk& c = chunks[i];
        const CompressedTarget& t = *c.target;
        c.bytes = compressed_chunk(*t.values, t.rows, t.cols, c.offset[0], c.offset[1],
                                   kept_chunk({t.rows, t.cols}));
      }
    } catch (...) {
      failed = true;
    }
  };
  const std::size_t threads =
      std::min<std::size_t>(chunks.size(), std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t)
    helpers.emplace_back(compress);
  compress();
  for (std::thread& t : helpers)
    t.join();
  if (failed) throw Hdf5Error("zlib: cannot compress a chunk");
  for (const Chunk& c : chunks)
    check(
        H5Dwrite_chunk(c.target->dataset, H5P_DEFAULT, 0, c.offset, c.bytes.size(), c.bytes.data()),
        "write a compressed chunk");
}

unsigned compression_threads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

Hdf5Handle write_numbers(hid_t group, const std::string& name, std::span<const double> values,
                         Layout layout) {
  Hdf5Handle dataset = create_dataset(group, name, H5T_IEEE_F64LE, {values.size()}, layout);
  if (!values.empty())
    check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write " + name);
  return dataset;
}

Hdf5Handle write_integers(hid_t group, const std::string& name, std::span<const double> values,
                          Layout layout) {
  std::vector<std::int64_t> whole(values.size());
  std::transform(values.begin(), values.end(), whole.begin(),
                 [](double v) { return static_cast<std::int64_t>(v); });
  Hdf5Handle dataset = create_dataset(group, name, H5T_STD_I64LE, {values.size()}, layout);
  if (!values.empty())
    check(H5Dwrite(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, whole.data()),
          "write " + name);
  return dataset;
}

Hdf5Handle write_strings(hid_t group, const std::string& name,
                         const std::vector<std::string>& values, Layout layout) {
  const Hdf5Handle type = utf8_string_type();
  Hdf5Handle dataset = create_dataset(group, name, type, {values.size()}, layout);
  std::vector<const char*> pointers;
  for (const std::string& v : values)
    pointers.push_back(v.c_str());
  // Strings go through HDF5's type conversion buffer, 1 MiB and zeroed on every write by
  // default: sized to the column instead (this halved the time to write a small batch file).
  const Hdf5Handle transfer(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "create transfer properties");
  check(H5Pset_buffer(transfer, std::max<std::size_t>(values.size(), 16) * sizeof(hvl_t), nullptr,
                      nullptr),
        "set conversion buffer");
  if (!values.empty())
    check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, transfer, pointers.data()), "write " + name);
  return dataset;
}

namespace {

/// Datasets of a packed table that are not text columns.
bool packs_numbers(const std::string& member) {
  return member == "values" || member == "column" || member == "units" || member == "long_name";
}

}  // namespace

void write_packed_table(hid_t parent, const std::string& name, std::size_t rows,
                        const std::vector<Column>& columns) {
  const Hdf5Handle group(
      H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, ordered_group_properties(), H5P_DEFAULT),
      H5Gclose, "create group " + name);
  std::vector<const Column*> numeric;
  std::string order;
  for (const Column& column : columns) {
    if (column.size() != rows)
      throw Hdf5Error("column " + column.name + " of " + name + " has the wrong length");
    order += column.name + "\n";
    if (!column.text) {
      numeric.push_back(&column);
      continue;
    }
    if (packs_numbers(column.name))
      throw Hdf5Error("column " + column.name + " of " + name + " has a reserved name");
    const Hdf5Handle d = write_strings(group, column.name, column.strings, Layout{false});
    // Only what is there: every attribute costs time, and batches are written while workers wait.
    if (!column.unit.empty()) write_string_attribute(d, "units", column.unit);
    if (!column.description.empty()) write_string_attribute(d, "long_name", column.description);
  }
  write_string_attribute(group, "column_order", order);
  const std::size_t k = numeric.size();
  std::vector<double> values(rows * k);
  std::vector<std::string> names, units, long_names;
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t r = 0; r < rows; ++r)
      values[r * k + j] = numeric[j]->numbers[r];
    names.push_back(numeric[j]->name);
    units.push_back(numeric[j]->unit);
    long_names.push_back(numeric[j]->description);
  }
  const Hdf5Handle d = create_dataset(group, "values", H5T_IEEE_F64LE, {rows, k}, Layout{false});
  if (!values.empty())
    check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write " + name + "/values");
  write_strings(group, "column", names, Layout{false});
  write_strings(group, "units", units, Layout{false});
  write_strings(group, "long_name", long_names, Layout{false});
}

namespace {

/// Appends the numeric columns of the packed table `group` (named `name`) to `columns`.
void read_packed_numbers(hid_t group, const std::string& name, std::vector<Column>& columns) {
  std::vector<hsize_t> dims;
  const std::vector<double> values = read_numbers(group, "values", &dims);
  const auto names = read_strings(group, "column");
  const auto units = read_strings(group, "units");
  const auto long_names = read_strings(group, "long_name");
  if (dims.size() != 2 || dims[1] != names.size() || units.size() != names.size() ||
      long_names.size() != names.size())
    throw Hdf5Error("group " + name + ": packed columns do not match their names");
  const std::size_t rows = dims[0], k = dims[1];
  for (std::size_t j = 0; j < k; ++j) {
    Column c{names[j], units[j], long_names[j]};
    c.numbers.resize(rows);
    for (std::size_t r = 0; r < rows; ++r)
      c.numbers[r] = values[r * k + j];
    columns.push_back(std::move(c));
  }
}

/// `columns` of the packed table `group` in the order its attribute `column_order` gives (as
/// they are if it has none, as in files written before it).
std::vector<Column> in_column_order(hid_t group, const std::string& name,
                                    std::vector<Column> columns) {
  if (H5Aexists(group, "column_order") <= 0) return columns;
  const std::string order = read_string_attribute(group, "column_order");
  std::vector<Column> out;
  std::vector<char> taken(columns.size(), 0);
  std::size_t start = 0;
  for (std::size_t end; (end = order.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string_view column_name(order.data() + start, end - start);
    std::size_t j = 0;
    while (j < columns.size() && (taken[j] || columns[j].name != column_name))
      ++j;
    if (j == columns.size()) break;
    taken[j] = 1;
    out.push_back(std::move(columns[j]));
  }
  if (start != order.size() || out.size() != columns.size())
    throw Hdf5Error("group " + name + ": column_order does not match its columns");
  return out;
}

}  // namespace

std::vector<Column> read_table(hid_t parent, const std::string& name, const std::string& dimension,
                               bool packed) {
  const Hdf5Handle group(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose,
                         "open group " + name);
  std::vector<Column> columns;
  for (const std::string& member : group_members(group)) {
    if (member == dimension || (packed && packs_numbers(member))) continue;
    const Hdf5Handle d(H5Dopen2(group, member.c_str(), H5P_DEFAULT), H5Dclose,
                       "open " + name + "/" + member);
    const Hdf5Handle type(H5Dget_type(d), H5Tclose, "get type");
    const bool text = H5Tget_class(type) == H5T_STRING;
    if (packed && !text) continue;
    Column c{member, read_string_attribute(d, "units"), read_string_attribute(d, "long_name")};
    c.text = text;
    if (text)
      c.strings = read_strings(group, member.c_str());
    else
      c.numbers = read_numbers(group, member.c_str());
    columns.push_back(std::move(c));
  }
  if (!packed) return columns;
  read_packed_numbers(group, name, columns);
  return in_column_order(group, name, std::move(columns));
}

namespace {

/// The size in bytes of the file holding `object`.
hsize_t file_size_of(hid_t object, const std::string& where) {
  const Hdf5Handle file(H5Iget_file_id(object), H5Fclose, "get file of " + where);
  hsize_t size = 0;
  check(H5Fget_filesize(file, &size), "get size of " + where);
  return size;
}

}  // namespace

std::size_t checked_element_count(hid_t dataset) {
  const std::string where = object_name(dataset);
  const Hdf5Handle space(H5Dget_space(dataset), H5Sclose, "get dataspace of " + where);
  const hssize_t points = H5Sget_simple_extent_npoints(space);
  if (points < 0) throw FormatError(where + ": unreadable dataspace");
  if (points == 0) return 0;
  const Hdf5Handle type(H5Dget_type(dataset), H5Tclose, "get type of " + where);
  const Hdf5Handle creation(H5Dget_create_plist(dataset), H5Pclose,
                            "get creation properties of " + where);
  // Data kept in other files (external storage, virtual datasets) is not read: a hostile file
  // could point anywhere.
  if (H5Pget_layout(creation) == H5D_VIRTUAL || H5Pget_external_count(creation) != 0)
    throw FormatError(where + " keeps its values outside the file");
  const hsize_t file_size = file_size_of(dataset, where);
  // zlib expands at most 1032:1; other filters (and none) are held to the bytes stored.
  constexpr hsize_t kMaxExpansion = 1100;
  const hsize_t stored = std::min<hsize_t>(H5Dget_storage_size(dataset), file_size);
  const hsize_t held = H5Pget_nfilters(creation) > 0 ? stored * kMaxExpansion : stored;
  const hsize_t element = std::max<std::size_t>(H5Tget_size(type), 1);
  if (static_cast<hsize_t>(points) > held / element)
    throw FormatError(where + " declares " + std::to_string(points) + " values of " +
                      std::to_string(element) + " bytes, more than the file holds (" +
                      std::to_string(stored) + " bytes stored)");
  return static_cast<std::size_t>(points);
}

namespace {

/// "FILE:/group/name", for error messages about a member of `group`.
std::string member_name(hid_t group, const char* name) {
  std::string base = object_name(group);
  if (!base.ends_with('/')) base += '/';
  return base + name;
}

/// Every string of a fixed-length string dataset of `n` values.
std::vector<std::string> read_fixed_strings(hid_t dataset, hid_t stored, std::size_t n,
                                            const std::string& where) {
  const std::size_t size = H5Tget_size(stored);
  const Hdf5Handle memory(H5Tcopy(stored), H5Tclose, "copy type of " + where);
  std::vector<char> bytes(n * size);
  check(H5Dread(dataset, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), "read " + where);
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(fixed_string(bytes.data() + i * size, size, H5Tget_strpad(stored)));
  return out;
}

}  // namespace

std::vector<std::string> read_strings(hid_t group, const char* name) {
  if (H5Lexists(group, name, H5P_DEFAULT) <= 0) return {};
  const std::string where = member_name(group, name);
  const Hdf5Handle d(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, "open " + where);
  const Hdf5Handle stored(H5Dget_type(d), H5Tclose, "get type of " + where);
  if (H5Tget_class(stored) != H5T_STRING) throw FormatError(where + " does not hold strings");
  {
    // Strings are written as 1-D datasets. Other shapes are refused, also because HDF5 1.10's
    // H5Dvlen_get_buf_size overflows a heap buffer on a scalar dataspace (found by fuzz_result).
    const Hdf5Handle space(H5Dget_space(d), H5Sclose, "get dataspace of " + where);
    if (H5Sget_simple_extent_type(space) != H5S_SIMPLE || H5Sget_simple_extent_ndims(space) != 1)
      throw FormatError(where + " is not a 1-D dataset of strings");
  }
  const std::size_t n = checked_element_count(d);
  if (n == 0) return {};
  if (H5Tis_variable_str(stored) <= 0) return read_fixed_strings(d, stored, n, where);
  const Hdf5Handle space(H5Dget_space(d), H5Sclose, "get dataspace of " + where);
  const Hdf5Handle type(H5Tcopy(stored), H5Tclose, "copy type of " + where);
  // Strings may share heap objects, so n short references could expand to n copies of one
  // long string: the text read is held to the file's size too.
  hsize_t text = 0;
  check(H5Dvlen_get_buf_size(d, type, space, &text), "measure " + where);
  if (text > file_size_of(d, where))
    throw FormatError(where + " holds " + std::to_string(text) +
                      " bytes of text, more than the file holds");
  std::vector<char*> raw(n, nullptr);
  check(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), "read " + where);
  std::vector<std::string> out;
  out.reserve(n);
  for (char* s : raw)
    out.emplace_back(s ? s : "");
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
  return out;
}

std::vector<double> read_numbers(hid_t group, const char* name, std::vector<hsize_t>* dims) {
  const std::string where = member_name(group, name);
  const Hdf5Handle d(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, "open " + where);
  const Hdf5Handle stored(H5Dget_type(d), H5Tclose, "get type of " + where);
  const H5T_class_t type_class = H5Tget_class(stored);
  if (type_class != H5T_FLOAT && type_class != H5T_INTEGER)
    throw FormatError(where + " does not hold numbers");
  const Hdf5Handle space(H5Dget_space(d), H5Sclose, "get dataspace of " + where);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, shape.data(), nullptr);
  if (dims) *dims = shape;
  std::vector<double> out(checked_element_count(d));
  if (!out.empty())
    check(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
          "read " + where);
  return out;
}

Hdf5Handle ordered_group_properties() {
  Hdf5Handle properties(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "create group properties");
  check(H5Pset_link_creation_order(properties, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "track creation order");
  return properties;
}

Hdf5Handle write_column(hid_t group, const Column& column, Layout layout) {
  Hdf5Handle dataset = column.text ? write_strings(group, column.name, column.strings, layout)
                       : column.integer && layout.keep
                           ? write_integers(group, column.name, column.numbers, layout)
                           : write_numbers(group, column.name, column.numbers, layout);
  write_string_attribute(dataset, "units", column.unit);
  write_string_attribute(dataset, "long_name", column.description);
  return dataset;
}

void write_table(hid_t parent, const std::string& name, const std::string& dimension,
                 std::size_t rows, const std::vector<Column>& columns, Layout layout,
                 const RowLabels& labels) {
  const Hdf5Handle group(
      H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, ordered_group_properties(), H5P_DEFAULT),
      H5Gclose, "create group " + name);
  std::vector<double> index(labels.labels.empty() ? rows : 0);
  for (std::size_t i = 0; i < index.size(); ++i)
    index[i] = static_cast<double>(i);
  const Hdf5Handle scale = labels.labels.empty()
                               ? write_numbers(group, dimension, index, layout)
                               : write_strings(group, dimension, labels.labels, layout);
  write_string_attribute(scale, "units", labels.labels.empty() ? "1" : "");
  write_string_attribute(scale, "long_name",
                         labels.labels.empty() ? "row number" : labels.description);
  if (layout.keep) check(H5DSset_scale(scale, dimension.c_str()), "make " + dimension + " a scale");
  std::string coordinates;
  for (const std::string& c : labels.coordinates)
    coordinates += (coordinates.empty() ? "" : " ") + c;
  for (const Column& column : columns) {
    if (column.size() != rows)
      throw Hdf5Error("column " + column.name + " of " + name + " has the wrong length");
    const Hdf5Handle dataset = write_column(group, column, layout);
    const auto& named = labels.coordinates;
    if (!coordinates.empty() && std::find(named.begin(), named.end(), column.name) == named.end())
      write_string_attribute(dataset, "coordinates", coordinates);
    if (layout.keep) check(H5DSattach_scale(dataset, scale, 0), "attach " + dimension);
  }
}

}  // namespace interdict::io
