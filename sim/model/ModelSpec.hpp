// ModelSpec: the plain, validated description of a model that the scenario builder produces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace interdict::model {

enum class PlaceKind { source, port, coast, town, border, market };
enum class RouteMode { land, sea, air };
enum class TravelTimeDistribution { fixed, exponential, lognormal };

/// A location: where drugs are produced, pass through or are sold.
struct PlaceSpec {
  std::string id{};
  std::string name{};
  PlaceKind kind = PlaceKind::town;
  std::string region{};
  std::optional<double> latitude{};   // degrees
  std::optional<double> longitude{};  // degrees
};

/// A directed leg between two places. Travel times are drawn per traversal.
struct RouteSpec {
  std::string id{};
  std::size_t from = 0;  // index into places
  std::size_t to = 0;
  RouteMode mode = RouteMode::land;
  double length_km = 0.0;
  TravelTimeDistribution distribution = TravelTimeDistribution::lognormal;
  double mean_days = 1.0;
  double sd_days = 0.0;
};

/// Where shipments are sold, and at what price.
struct MarketSpec {
  std::string id{};
  std::size_t place = 0;
  double price_per_kg = 0.0;  // USD
};

/// Creates shipments as a Poisson process and sends them to one market.
struct SourceSpec {
  std::string id{};
  std::size_t place = 0;
  std::size_t market = 0;  // index into markets
  double rate_per_day = 0.0;
  double size_mean_kg = 1.0;
  double size_sd_kg = 0.0;
  double start_day = 0.0;
};

/// An enforcement asset watching one route during [start, end).
struct PatrolSpec {
  std::string id{};
  std::size_t route = 0;
  double detection_probability = 0.0;  // per shipment passing while active
  double start_day = 0.0;
  double end_day = 0.0;  // +infinity when it never ends
};

/// Everything the model needs to run.
struct ModelSpec {
  double duration_days = 365.0;
  double sample_interval_days = 1.0;
  std::vector<PlaceSpec> places{};
  std::vector<RouteSpec> routes{};
  std::vector<MarketSpec> markets{};
  std::vector<SourceSpec> sources{};
  std::vector<PatrolSpec> patrols{};
};

}  // namespace interdict::model
