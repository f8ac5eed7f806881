// ScenarioKeys: the one declaration of every scenario key (type, unit, default, range, meaning).
#pragma once

#include <limits>
#include <span>
#include <string>
#include <string_view>

namespace interdict::scenario {

/// `any_table`: a table whose keys are not declared here (e.g. scenario key paths in a study);
/// its contents are checked where they are used.
enum class KeyType {
  table,
  table_array,
  number,
  integer,
  string,
  string_array,
  boolean,
  any_table
};

/// Declaration of one key. `path` uses "[]" for any element of an array of tables, as in
/// "routes[].travel_time.mean". This table drives parsing, validation, `interdict keys`
/// and docs/scenario-reference.md.
struct KeySpec {
  std::string_view path;
  KeyType type;
  std::string_view unit;
  /// Default as written in TOML; empty when the key is required or simply optional.
  std::string_view default_value;
  bool required = false;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  /// For strings with a fixed set of values: "a|b|c".
  std::string_view choices;
  std::string_view description;
  /// When positive, a value above 0 must be at least this: for rates and delays where 0 switches
  /// a process off but a tiny positive value would make it run away or never come.
  double least_positive = 0.0;
};

/// Limits on the size of one run, checked when a scenario is read (and named in the
/// descriptions of the keys they bound): far above any study's needs, they keep every run that
/// validates finite in time and memory.
inline constexpr double kMaxSamples = 1e6;          // duration / sample_interval + 1
inline constexpr double kMaxShipments = 1e8;        // expected loads created, pieces included
inline constexpr double kMaxFirings = 1e5;          // intervention firings (at, every, after)
inline constexpr double kMaxGeneratedRoutes = 1e7;  // [generate]: 2 per road + sea legs
inline constexpr double kMaxGeneratorSteps = 1e9;   // [generate]: k-d searches, relay cover
inline constexpr double kMaxPlanningBytes = 8e9;    // route trees: (organisation, market) pairs
inline constexpr double kMaxSetupSteps = 1e10;      // a search back from each supplied market
inline constexpr double kMaxStudyRuns = 1e6;        // a study's planned runs

/// Every key a scenario file may contain.
std::span<const KeySpec> scenario_keys();

/// Every key a study file may contain.
std::span<const KeySpec> study_keys();

/// The declaration for a key path pattern in a key table (the scenario's by default), or nullptr.
const KeySpec* find_key(std::string_view pattern, std::span<const KeySpec> keys = scenario_keys());

/// "routes[3].travel_time.mean" -> "routes[].travel_time.mean".
std::string key_pattern(std::string_view path);

/// Human-readable valid range or choices of a key, e.g. "(0, 36500]" or "land | sea | air".
std::string describe_range(const KeySpec& key);

/// Name of a key type as shown to users.
std::string_view type_name(KeyType type);

/// The key reference as a Markdown document (docs/scenario-reference.md), including the
/// study file keys.
std::string keys_markdown();

/// The key reference as a plain-text table for the terminal.
std::string keys_text();

}  // namespace interdict::scenario
