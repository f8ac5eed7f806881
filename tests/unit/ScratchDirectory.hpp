// ScratchDirectory: a fresh directory under the system's temporary directory, for tests that
// write files (never into the checkout).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace interdict::testing {

/// An empty directory interdict-NAME-<pid> under the temporary directory (emptied if a previous
/// run left it).
inline std::filesystem::path fresh_directory(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("interdict-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace interdict::testing
