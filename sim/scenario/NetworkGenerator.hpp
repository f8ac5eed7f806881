// NetworkGenerator: large synthetic trafficking networks for studies of scale and benchmarks.
#pragma once

#include <cstdint>
#include <string>

#include "model/ModelSpec.hpp"

namespace interdict::scenario {

enum class Topology { geometric, small_world, scale_free };

/// What the [generate] section of a scenario asks for.
struct GeneratorSpec {
  int places = 100;  // towns, ports and border markets on land
  int ports = 5;
  int sources = 2;  // offshore pick-up points
  int markets = 2;  // border crossings where loads are sold
  int organisations = 1;
  int cells = 200;
  int vessels = 20;
  int relays = 20;
  int patrols = 10;
  Topology topology = Topology::geometric;
  int degree = 4;              // mean number of road neighbours
  double shipment_rate = 1.0;  // loads per day per source
  std::uint64_t seed = 1;
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
/// Deterministic in `seed`, independent of the run's seed.
model::ModelSpec generate_network(const GeneratorSpec& generator, double duration_days,
                                  double sample_interval_days);

}  // namespace interdict::scenario
