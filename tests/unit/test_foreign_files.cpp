// Foreign and hostile result and study files (strings stored as arrays, huge declared sizes) are
// one FormatError naming the file, never a crash or a huge allocation.
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "io/FormatError.hpp"
#include "io/Hdf5Support.hpp"
#include "io/ResultReader.hpp"
#include "io/StudyStore.hpp"
#include "unit/ScratchDirectory.hpp"

using namespace interdict;

namespace {

/// A fresh directory for one test case.
std::filesystem::path scratch(const std::string& name) {
  return testing::fresh_directory("foreign-" + name);
}

/// A study file of one successful run: a sweep's batch, or kept (a merge) if `keep`.
std::string study_file(const std::filesystem::path& dir, bool keep = false) {
  io::RunRecord r;
  r.key = "k0";
  r.variant = "v";
  r.seed = 7;
  r.status = "ok";
  r.summary_metrics = {{"delivered_kg", "kg", ""}};
  r.summary = {1.0};
  r.time = {0.0, 1.0};
  r.series_metrics = {{"seized_kg", "kg", ""}};
  r.series = {{0.0, 2.0}};
  const std::string path = (dir / "runs-k0.h5").string();
  io::write_runs(path, io::StudyInfo{"s", "[study]", {}}, {r}, keep);
  return path;
}

/// Replaces attribute `name` of `object` (in the file at `path`) by `count` variable-length
/// strings (an array when count > 1).
void rewrite_as_string_array(const std::string& path, const char* object, const char* name,
                             hsize_t count) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const hid_t target = H5Oopen(file, object, H5P_DEFAULT);
  if (H5Aexists(target, name) > 0) H5Adelete(target, name);
  const io::Hdf5Handle type = io::utf8_string_type();
  const hid_t space = H5Screate_simple(1, &count, nullptr);
  const hid_t a = H5Acreate2(target, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<const char*> texts(count, "interdict-study");
  H5Awrite(a, type, texts.data());
  H5Aclose(a);
  H5Sclose(space);
  H5Oclose(target);
  H5Fclose(file);
}

/// Replaces attribute `name` of the root by a fixed-length string of 32 bytes.
void rewrite_as_fixed_string(const std::string& path, const char* name, const char* text) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(file >= 0);
  H5Adelete(file, name);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, 32);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  char buffer[32] = {};
  std::strncpy(buffer, text, sizeof buffer - 1);
  H5Awrite(a, type, buffer);
  H5Aclose(a);
  H5Sclose(space);
  H5Tclose(type);
  H5Fclose(file);
}

}  // namespace

TEST_CASE("string attributes stored as arrays are refused, naming file and attribute",
          "[foreign]") {
  const auto dir = scratch("attr");
  const std::string path = study_file(dir);
  SECTION("format") {
    rewrite_as_string_array(path, "/", "format", 64);
    CHECK_FALSE(io::is_study_file(path));
    CHECK_THROWS_AS(io::read_runs(path), io::FormatError);
    CHECK_THROWS_WITH(io::read_study_info(path), Catch::Contains("runs-k0.h5") &&
                                                     Catch::Contains("attribute format") &&
                                                     Catch::Contains("not a single value"));
    CHECK_THROWS_WITH(io::read_result(path), Catch::Contains("attribute format"));
  }
  SECTION("the manifest's study_toml") {
    rewrite_as_string_array(path, "/", "study_toml", 3);
    CHECK_THROWS_WITH(io::read_study_info(path),
                      Catch::StartsWith(path) && Catch::Contains("attribute study_toml"));
  }
  SECTION("units of a column of a kept file") {
    const std::string kept = study_file(dir, true);
    rewrite_as_string_array(kept, "/runs/delivered_kg", "units", 2);
    CHECK_THROWS_WITH(
        io::read_runs(kept),
        Catch::StartsWith(kept) && Catch::Contains("/runs/delivered_kg attribute units"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("fixed-length string attributes are read, and numbers are not strings", "[foreign]") {
  const auto dir = scratch("fixed");
  const std::string path = study_file(dir);
  rewrite_as_fixed_string(path, "study_name", "fixed name");
  CHECK(io::read_study_info(path).name == "fixed name");
  rewrite_as_fixed_string(path, "format", "interdict-study");
  CHECK(io::is_study_file(path));
  CHECK(io::read_runs(path).size() == 1);
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    H5Adelete(file, "format");
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(file, "format", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
    const int value = 3;
    H5Awrite(a, H5T_NATIVE_INT, &value);
    H5Aclose(a);
    H5Sclose(space);
    H5Fclose(file);
  }
  CHECK_THROWS_WITH(io::read_runs(path), Catch::Contains("attribute format is not a string"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a dataset declaring more values than its file holds is refused before allocating",
          "[foreign]") {
  const auto dir = scratch("huge");
  const std::string path = study_file(dir);
  {  // /timeseries/time declares 2^28 values and stores none
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    REQUIRE(H5Ldelete(file, "/timeseries/time", H5P_DEFAULT) >= 0);
    const hsize_t huge = hsize_t{1} << 28;
    const hid_t space = H5Screate_simple(1, &huge, nullptr);
    const hid_t d = H5Dcreate2(file, "/timeseries/time", H5T_IEEE_F64LE, space, H5P_DEFAULT,
                               H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(d >= 0);
    H5Dclose(d);
    H5Sclose(space);
    H5Fclose(file);
  }
  CHECK(std::filesystem::file_size(path) < 1'000'000);
  CHECK_THROWS_WITH(
      io::read_runs(path),
      Catch::StartsWith(path) && Catch::Contains("/timeseries/time declares 268435456"));
  CHECK_THROWS_AS(io::read_series(path, "seized_kg"), io::FormatError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a dataset kept in another file is refused", "[foreign]") {
  const auto dir = scratch("external");
  const std::string path = study_file(dir);
  {  // /timeseries/time stored in /etc/hostname, as HDF5's external storage allows
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    REQUIRE(H5Ldelete(file, "/timeseries/time", H5P_DEFAULT) >= 0);
    const hsize_t two = 2;
    const hid_t space = H5Screate_simple(1, &two, nullptr);
    const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
    REQUIRE(H5Pset_external(properties, "/etc/hostname", 0, 16) >= 0);
    const hid_t d = H5Dcreate2(file, "/timeseries/time", H5T_IEEE_F64LE, space, H5P_DEFAULT,
                               properties, H5P_DEFAULT);
    REQUIRE(d >= 0);
    H5Dclose(d);
    H5Pclose(properties);
    H5Sclose(space);
    H5Fclose(file);
  }
  CHECK_THROWS_WITH(io::read_runs(path), Catch::StartsWith(path) &&
                                             Catch::Contains("keeps its values outside the file"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a string column that is not 1-D is refused", "[foreign]") {
  // Found by fuzz_result: a scalar /runs/variant made HDF5's H5Dvlen_get_buf_size overflow.
  const auto dir = scratch("scalar");
  const std::string path = study_file(dir);
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    REQUIRE(H5Ldelete(file, "/runs/variant", H5P_DEFAULT) >= 0);
    const io::Hdf5Handle type = io::utf8_string_type();
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t d =
        H5Dcreate2(file, "/runs/variant", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const char* text = "v";
    H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text);
    H5Dclose(d);
    H5Sclose(space);
    H5Fclose(file);
  }
  CHECK_THROWS_WITH(io::read_runs(path), Catch::StartsWith(path) &&
                                             Catch::Contains("/runs/variant is not a 1-D dataset"));
  std::filesystem::remove_all(dir);
}
