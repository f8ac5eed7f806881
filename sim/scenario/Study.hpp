// Study: a study file expanded into its runs (variants x parameter points x replicates).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/DesignPoint.hpp"

namespace interdict::scenario {

struct Scenario;

/// One run of a study.
struct StudyRun {
  std::string key;  // stable: a hash of variant, parameter values and replicate, not position
  std::string variant;
  std::vector<std::pair<std::string, std::string>> parameters;  // varied key path -> TOML value
  std::uint64_t replicate = 0;
  std::uint64_t seed = 0;
  DesignPoint design;  // where its point sits in a [morris] or [sobol] design (index -1: none)
  std::vector<std::string> overrides;  // "key=value": the variant's set, then the parameters
  /// A digest of everything the run's results depend on: the resolved scenario text, the
  /// overrides, seed, replicate, random-stream scheme and software version (see run_identity).
  std::string identity;
  /// The scenario with those overrides, built (and checked) once when the study is loaded and
  /// shared by the replicates.
  std::shared_ptr<const Scenario> scenario;
  std::string scenario_path;  // the scenario file it runs: the variant's, else the study's
};

/// A loaded study: where its scenario is and every run it asks for, in plan order.
struct Study {
  std::string path;
  std::string text;
  std::string name;
  std::string description;
  std::string scenario_path;  // resolved against the study file's folder; empty if every
                              // variant names its own
  std::string scenario_text;
  std::uint64_t replicates = 1;
  std::uint64_t seed = 1;
  bool common_random_numbers = true;
  std::vector<std::string> variants;
  std::vector<std::string> parameter_names;  // the varied keys, in file order
  /// A [morris] or [sobol] design as one line of JSON (design_description); empty without one.
  std::string design;
  std::vector<StudyRun> runs;
};

/// Reads a study file, expands it and checks every combination against its scenario.
/// Throws InputError naming the study file, line, column and key.
Study load_study(const std::string& path);

/// The shortest text that reads back as exactly the same double, always a TOML float ("1.0"):
/// how parameter values are written into overrides.
std::string shortest(double x);

/// The stable key of a run; a point of a sensitivity design also hashes its number in the
/// design (two points of a Morris design may have the same values).
std::string run_key(const std::string& variant,
                    const std::vector<std::pair<std::string, std::string>>& parameters,
                    std::uint64_t replicate, std::int64_t design_point = -1);

/// Appends `study.replicates` runs of one built (variant, point) to the study: each a copy of
/// `point_run` (its variant, parameters, design, overrides, scenario and scenario path) with its
/// replicate number, key, `seed` and identity.
void add_replicates(Study& study, const StudyRun& point_run, std::uint64_t seed);

/// The identity of a run of `scenario` with these overrides, seed and replicate.
std::string run_identity(const Scenario& scenario, const std::vector<std::string>& overrides,
                         std::uint64_t seed, std::uint64_t replicate);

}  // namespace interdict::scenario
