// Scenario: a scenario file read, validated and turned into a ModelSpec.
#pragma once

#include <cstdint>
#include <string>

#include "model/ModelSpec.hpp"

namespace interdict::scenario {

/// A loaded scenario: the model it describes plus what results must record about it.
struct Scenario {
  std::string path;  // as given by the user
  std::string text;  // the exact TOML text, stored in every result file
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  model::ModelSpec model;
};

/// Reads and validates a scenario file. Throws InputError naming file, line, column and key.
Scenario load_scenario(const std::string& path);

/// Parses scenario text; `path` is used in error messages only.
Scenario parse_scenario(std::string text, const std::string& path);

}  // namespace interdict::scenario
