// FuzzSupport: what the libFuzzer targets share: a private scratch directory, files written
// from the input, and a reader of construction choices from the input bytes.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace interdict::fuzz {

/// A directory of this process's own under the system's temporary directory, made once and
/// removed at exit (targets write their input there: the readers take paths).
inline const std::filesystem::path& scratch_directory() {
  static const struct Scratch {
    std::filesystem::path path;
    Scratch() {
      path =
          std::filesystem::temp_directory_path() / ("interdict-fuzz-" + std::to_string(::getpid()));
      std::filesystem::create_directories(path);
    }
    ~Scratch() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  } scratch;
  return scratch.path;
}

/// Writes `bytes` to `name` in the scratch directory and returns its path.
inline std::string write_scratch_file(const std::string& name, std::string_view bytes) {
  const std::string path = (scratch_directory() / name).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<long>(bytes.size()));
  return path;
}

/// The input read as a sequence of choices; past its end every choice is 0, so a short input
/// (or none) makes the first, ordinary choice everywhere.
class Choices {
 public:
  Choices(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
  std::uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
  /// A choice among n (n > 0).
  std::size_t pick(std::size_t n) { return byte() % n; }
  bool done() const { return p_ >= end_; }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

}  // namespace interdict::fuzz
