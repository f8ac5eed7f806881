// ScenarioKeys: the scenario key table and its renderings.
#include "scenario/ScenarioKeys.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace interdict::scenario {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxDays = 36500.0;  // a hundred years: anything longer is a typo

using enum KeyType;

// clang-format off
constexpr std::array kKeys{
  KeySpec{"scenario", table, "", "", false, -kInf, kInf, false, "", "What the scenario is."},
  KeySpec{"scenario.name", string, "", "", false, -kInf, kInf, false, "", "Short name; defaults to the file name without extension."},
  KeySpec{"scenario.description", string, "", "\"\"", false, -kInf, kInf, false, "", "Free text: purpose, sources, assumptions."},

  KeySpec{"simulation", table, "", "", false, -kInf, kInf, false, "", "Length and randomness of a run."},
  KeySpec{"simulation.duration", number, "days", "365", false, 0.0, kMaxDays, true, "", "Simulated time span of a run."},
  KeySpec{"simulation.seed", integer, "", "1", false, 0.0, 9.2e18, false, "", "Base random seed; `interdict run --seed` overrides it. Streams are keyed by (seed, replicate, stream name)."},

  KeySpec{"output", table, "", "", false, -kInf, kInf, false, "", "What is recorded."},
  KeySpec{"output.sample_interval", number, "days", "1", false, 0.0, kMaxDays, true, "", "Time between samples of the time series (the first sample is at t = 0)."},

  KeySpec{"places", table_array, "", "", false, -kInf, kInf, false, "", "Locations: sources, ports, coast points, towns, border crossings, markets."},
  KeySpec{"places[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier, used by routes, sources and markets."},
  KeySpec{"places[].name", string, "", "", false, -kInf, kInf, false, "", "Display name; defaults to the id."},
  KeySpec{"places[].kind", string, "", "\"town\"", false, -kInf, kInf, false, "source|port|coast|town|border|market", "Role of the place in the supply chain."},
  KeySpec{"places[].region", string, "", "\"\"", false, -kInf, kInf, false, "", "Region (state, department, sea area) for grouping."},
  KeySpec{"places[].lat", number, "degrees", "", false, -90.0, 90.0, false, "", "Latitude (WGS84), optional."},
  KeySpec{"places[].lon", number, "degrees", "", false, -180.0, 180.0, false, "", "Longitude (WGS84), optional."},

  KeySpec{"routes", table_array, "", "", false, -kInf, kInf, false, "", "Directed legs between places."},
  KeySpec{"routes[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier, used by patrols."},
  KeySpec{"routes[].from", string, "", "", true, -kInf, kInf, false, "", "Id of the place the leg starts at."},
  KeySpec{"routes[].to", string, "", "", true, -kInf, kInf, false, "", "Id of the place the leg ends at."},
  KeySpec{"routes[].mode", string, "", "\"land\"", false, -kInf, kInf, false, "land|sea|air", "Transport mode."},
  KeySpec{"routes[].length_km", number, "km", "0", false, 0.0, 40000.0, false, "", "Length of the leg (informative in this version)."},
  KeySpec{"routes[].travel_time", table, "", "", true, -kInf, kInf, false, "", "Distribution of the time one traversal takes, drawn afresh each time."},
  KeySpec{"routes[].travel_time.distribution", string, "", "\"lognormal\"", false, -kInf, kInf, false, "fixed|exponential|lognormal", "Family of the travel-time distribution (lognormal with sd = 0 is fixed)."},
  KeySpec{"routes[].travel_time.mean", number, "days", "", true, 0.0, kMaxDays, true, "", "Mean travel time."},
  KeySpec{"routes[].travel_time.sd", number, "days", "0", false, 0.0, kMaxDays, false, "", "Standard deviation of the travel time (lognormal only)."},

  KeySpec{"markets", table_array, "", "", false, -kInf, kInf, false, "", "Places where shipments are sold."},
  KeySpec{"markets[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier, used by sources."},
  KeySpec{"markets[].place", string, "", "", true, -kInf, kInf, false, "", "Id of the place where the market is."},
  KeySpec{"markets[].price_per_kg", number, "USD/kg", "", true, 0.0, 1e7, false, "", "Wholesale price paid on delivery."},

  KeySpec{"sources", table_array, "", "", false, -kInf, kInf, false, "", "Where shipments are created (production or arrival in the region)."},
  KeySpec{"sources[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier; names the source's random streams."},
  KeySpec{"sources[].place", string, "", "", true, -kInf, kInf, false, "", "Id of the place where shipments start."},
  KeySpec{"sources[].market", string, "", "", true, -kInf, kInf, false, "", "Id of the market the shipments go to, by the fastest path."},
  KeySpec{"sources[].rate", number, "shipments/day", "", true, 0.0, 1e4, true, "", "Mean number of shipments created per day (Poisson process)."},
  KeySpec{"sources[].size_mean", number, "kg", "", true, 1.0, 1e6, false, "", "Mean shipment size (rounded to whole kg, at least 1)."},
  KeySpec{"sources[].size_sd", number, "kg", "0", false, 0.0, 1e6, false, "", "Standard deviation of the shipment size (lognormal); 0 for a fixed size."},
  KeySpec{"sources[].start", number, "days", "0", false, 0.0, kMaxDays, false, "", "Time the source starts producing."},

  KeySpec{"patrols", table_array, "", "", false, -kInf, kInf, false, "", "Enforcement assets watching routes."},
  KeySpec{"patrols[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier; names the patrol's random stream."},
  KeySpec{"patrols[].route", string, "", "", true, -kInf, kInf, false, "", "Id of the route watched."},
  KeySpec{"patrols[].detection_probability", number, "", "", true, 0.0, 1.0, false, "", "Probability that a shipment setting off on the route while the patrol is active is detected and seized."},
  KeySpec{"patrols[].start", number, "days", "0", false, 0.0, kMaxDays, false, "", "Time the patrol starts."},
  KeySpec{"patrols[].end", number, "days", "", false, 0.0, kMaxDays, false, "", "Time the patrol stops; absent means it never stops."},
};
// clang-format on

std::string format_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace

std::span<const KeySpec> scenario_keys() {
  return kKeys;
}

const KeySpec* find_key(std::string_view pattern) {
  const auto it =
      std::find_if(kKeys.begin(), kKeys.end(), [&](const KeySpec& k) { return k.path == pattern; });
  return it == kKeys.end() ? nullptr : &*it;
}

std::string key_pattern(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    out += path[i];
    if (path[i] == '[') {
      while (i + 1 < path.size() && path[i + 1] != ']')
        ++i;
    }
  }
  return out;
}

std::string_view type_name(KeyType type) {
  switch (type) {
    case table:
      return "table";
    case table_array:
      return "array of tables";
    case number:
      return "number";
    case integer:
      return "integer";
    case string:
      return "string";
    case boolean:
      return "boolean";
  }
  return "?";
}

std::string describe_range(const KeySpec& key) {
  std::ostringstream out;
  if (!key.choices.empty()) {
    for (char c : key.choices) {
      if (c == '|') {
        out << " | ";
      } else {
        out << c;
      }
    }
    return out.str();
  }
  if (key.type != number && key.type != integer) return "";
  if (std::isinf(key.min) && std::isinf(key.max)) return "";
  out << (key.min_exclusive ? '(' : '[') << format_number(key.min) << ", " << format_number(key.max)
      << (std::isinf(key.max) ? ')' : ']');
  return out.str();
}

std::string keys_markdown() {
  std::ostringstream out;
  out << "# Scenario reference\n\n"
         "Every key a scenario file may contain. Generated from the key table in\n"
         "`sim/scenario/ScenarioKeys.cpp` by `interdict keys --markdown`; a test keeps this file\n"
         "in step with the code. Keys written `routes[].x` belong to each `[[routes]]` entry.\n\n"
         "| key | type | unit | default | valid values | description |\n"
         "|---|---|---|---|---|---|\n";
  for (const KeySpec& k : kKeys) {
    out << "| `" << k.path << "` | " << type_name(k.type) << " | " << k.unit << " | ";
    if (k.required) {
      out << "required";
    } else if (!k.default_value.empty()) {
      out << '`' << k.default_value << '`';
    }
    out << " | " << describe_range(k) << " | " << k.description << " |\n";
  }
  return out.str();
}

std::string keys_text() {
  std::ostringstream out;
  for (const KeySpec& k : kKeys) {
    out << k.path << "  (" << type_name(k.type);
    if (!k.unit.empty()) out << ", " << k.unit;
    if (k.required) out << ", required";
    if (!k.default_value.empty()) out << ", default " << k.default_value;
    const std::string range = describe_range(k);
    if (!range.empty()) out << ", " << range;
    out << ")\n    " << k.description << "\n";
  }
  return out.str();
}

}  // namespace interdict::scenario
