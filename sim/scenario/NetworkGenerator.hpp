// NetworkGenerator: large synthetic trafficking networks for studies of scale and benchmarks.
#pragma once

#include <cstdint>
#include <string>

#include "model/ModelSpec.hpp"

namespace interdict::scenario {

struct SpecDefaults;  // scenario/Scenario.hpp

enum class Topology { geometric, small_world, scale_free };

/// What the [generate] section of a scenario asks for (defaults: the key table's generate.*).
struct GeneratorSpec {
  int places{};  // towns, ports and border markets on land
  int ports{};
  int sources{};  // offshore pick-up points
  int markets{};  // border crossings where loads are sold
  int organisations{};
  int cells{};
  int vessels{};
  int relays{};
  int patrols{};
  Topology topology{};
  int degree{};            // mean number of road neighbours
  double shipment_rate{};  // loads per day per source
  std::uint64_t seed{};
};

/// Builds a network on a 1000 km x 1000 km square: ports on the west coast (x = 0), border
/// markets along the north edge, offshore sources 300 km west of the coast, towns between.
/// Roads join places by `topology` (k nearest neighbours; a Watts-Strogatz ring with 10 %
/// rewiring; or Barabási-Albert preferential attachment), plus a north-south backbone that
/// keeps every place reachable. Cells are spread over places and organisations round-robin,
/// each tied to two cells of its organisation nearby and one at random; vessels over ports;
/// relays at random places, the first of each organisation its control centre, each linked
/// to its three nearest relays and covering places within a radius that tiles the square.
/// Patrols watch random sea legs (hazard) and roads (per-passage checks).
/// Every entry starts from `defaults` (scenario::spec_defaults(): the key table's), and so do
/// the run settings. Deterministic in `seed`, independent of the run's seed.
model::ModelSpec generate_network(const GeneratorSpec& generator, const SpecDefaults& defaults);

}  // namespace interdict::scenario
