// Hdf5Support: datasets, UTF-8 strings, string attributes and group listings, shared by the
// HDF5 writers and readers.
#pragma once

#include <hdf5.h>

#include <exception>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/Table.hpp"
#include "io/FormatError.hpp"
#include "io/Hdf5Handle.hpp"

namespace interdict::io {

/// Serial HDF5 is not thread-safe. Code that threads may call at once (StudyStore, which a
/// sweep's workers share) holds this around its HDF5 calls. Recursive: a merge's series source
/// reads other files while the merged file is being written, from the same thread.
std::recursive_mutex& hdf5_mutex();

/// Variable-length UTF-8 string type.
Hdf5Handle utf8_string_type();

/// Writes a scalar UTF-8 string attribute.
void write_string_attribute(hid_t object, const char* name, const std::string& value);

/// Reads a string attribute (variable or fixed length, scalar or of one element); "" when it is
/// absent. Throws FormatError naming file, object and attribute for anything else.
std::string read_string_attribute(hid_t object, const char* name);

/// A scalar (or one-element) numeric attribute as a double; `fallback` when it is absent.
/// Throws FormatError naming file, object and attribute for anything else.
double read_number_attribute(hid_t object, const char* name, double fallback);

/// "FILE:/path/of/object", for error messages.
std::string object_name(hid_t object);

/// The number of values of a dataset, refused (FormatError naming file and dataset) when more
/// than the file can hold: a hostile header may declare 2^28 values in a few kilobytes.
/// Uncompressed data must lie in the file; compressed data may expand by zlib's bound.
std::size_t checked_element_count(hid_t dataset);

/// Runs `read` (a reader of the file `path`), turning any failure into one FormatError that
/// names the file.
template <class Read>
auto reading_file(const std::string& path, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const std::exception& e) {
    const std::string what = e.what();
    throw FormatError(what.starts_with(path) ? what : path + ": " + what);
  }
}

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

/// A 2-D float64 dataset created by create_dataset for a kept file, and its values (rows x cols,
/// row-major).
struct CompressedTarget {
  hid_t dataset;
  hsize_t rows, cols;
  const std::vector<double>* values;
};

/// Writes the targets' values. HDF5 would shuffle and deflate their chunks on one thread; here
/// every core compresses chunks (of all targets at once, so that small datasets of one chunk
/// each still share the work) and HDF5 stores them as they are (H5Dwrite_chunk).
void write_compressed(const std::vector<CompressedTarget>& targets);

/// How many targets' worth of chunks write_compressed can usefully compress at once.
unsigned compression_threads();

/// A 1-D float64 dataset holding `values`.
Hdf5Handle write_numbers(hid_t group, const std::string& name, std::span<const double> values,
                         Layout layout);

/// A 1-D int64 dataset holding `values` (whole numbers).
Hdf5Handle write_integers(hid_t group, const std::string& name, std::span<const double> values,
                          Layout layout);

/// A 1-D dataset of UTF-8 strings.
Hdf5Handle write_strings(hid_t group, const std::string& name,
                         const std::vector<std::string>& values, Layout layout);

/// How a kept table labels its rows for xarray: the dimension scale holds `labels` (else 0, 1,
/// ...), and every column not named in `coordinates` names them in its CF `coordinates`
/// attribute, so that xarray makes them coordinates of every column.
struct RowLabels {
  std::vector<std::string> labels{};
  std::string description{};  // of the labels
  std::vector<std::string> coordinates{};
};

/// Writes a column of a table (text, int64 for an integer column of a kept file, else float64)
/// with its units and long_name.
Hdf5Handle write_column(hid_t group, const Column& column, Layout layout);

/// A table: group `name` under `parent` holding 1-D columns of `rows` values, and, in kept
/// files, the dimension scale `dimension` (`rows.labels`, or 0, 1, ...) attached to each, so
/// that xarray.open_dataset(..., group=...).to_dataframe() gives the table.
void write_table(hid_t parent, const std::string& name, const std::string& dimension,
                 std::size_t rows, const std::vector<Column>& columns, Layout layout,
                 const RowLabels& labels = {});

/// The same table packed for writing speed (HDF5 spends tens of microseconds on each object it
/// creates): text columns as 1-D string datasets, every numeric column in one 2-D float64
/// dataset `values` (row, column), described by the string datasets `column`, `units` and
/// `long_name`; the group's attribute `column_order` lists every column in order, one per line.
/// A sweep's batch files use it.
void write_packed_table(hid_t parent, const std::string& name, std::size_t rows,
                        const std::vector<Column>& columns);

/// The columns of a table written by write_table (without its dimension scale `dimension`) or
/// by write_packed_table (`packed`), in the order written, with their units and long_name (for
/// numeric columns of packed tables). Packed tables written without `column_order` give their
/// text columns first.
std::vector<Column> read_table(hid_t parent, const std::string& name, const std::string& dimension,
                               bool packed);

/// A 1-D dataset of strings (variable or fixed length); {} when `name` is absent.
std::vector<std::string> read_strings(hid_t group, const char* name);

/// Every value of a float64 dataset, row-major; its shape in `dims` if given.
std::vector<double> read_numbers(hid_t group, const char* name,
                                 std::vector<hsize_t>* dims = nullptr);

/// Group properties that track link creation order, so readers list members as written.
Hdf5Handle ordered_group_properties();

}  // namespace interdict::io
