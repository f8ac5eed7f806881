// Sampled network measures: estimates within their stated bounds of the exact values on graphs
// where both can be computed, the same estimates on any number of threads, the bounds' formulas
// worked by hand, and the exact measures kept up to the limit.
#include <catch2/catch.hpp>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <cmath>
#include <vector>

#include "graph/SampledMeasures.hpp"
#include "graph/Structure.hpp"
#include "model/NetworkMeasures.hpp"

using namespace interdict::graph;

namespace {

/// Watts-Strogatz: a ring where each node ties to its k / 2 nearest on each side, each tie
/// rewired to a random node with probability p.
Graph small_world(std::size_t n, std::size_t k, double p, std::uint64_t seed) {
  boost::random::mt19937_64 rng(seed);
  boost::random::uniform_real_distribution<double> coin(0.0, 1.0);
  boost::random::uniform_int_distribution<std::size_t> node(0, n - 1);
  std::vector<Tie> ties;
  for (std::size_t v = 0; v < n; ++v)
    for (std::size_t j = 1; j <= k / 2; ++j)
      ties.push_back({v, coin(rng) < p ? node(rng) : (v + j) % n});
  return Graph(n, ties, false);
}

/// Barabási-Albert: each new node ties to m earlier ones, chosen in proportion to their degree
/// (hubs, so a high betweenness centralisation).
Graph preferential(std::size_t n, std::size_t m, std::uint64_t seed) {
  boost::random::mt19937_64 rng(seed);
  std::vector<std::size_t> ends;  // every tie's two ends: a degree-weighted urn
  std::vector<Tie> ties;
  for (std::size_t v = 1; v <= m; ++v) {
    ties.push_back({0, v});
    ends.insert(ends.end(), {0, v});
  }
  for (std::size_t v = m + 1; v < n; ++v)
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t u =
          ends[boost::random::uniform_int_distribution<std::size_t>(0, ends.size() - 1)(rng)];
      ties.push_back({v, u});
      ends.insert(ends.end(), {v, u});
    }
  return Graph(n, ties, false);
}

/// A w x h grid (long shortest paths, a large vertex diameter).
Graph grid(std::size_t w, std::size_t h) {
  std::vector<Tie> ties;
  for (std::size_t y = 0; y < h; ++y)
    for (std::size_t x = 0; x < w; ++x) {
      if (x + 1 < w) ties.push_back({y * w + x, y * w + x + 1});
      if (y + 1 < h) ties.push_back({y * w + x, (y + 1) * w + x});
    }
  return Graph(w * h, ties, false);
}

SamplingOptions options(double error, std::uint64_t seed, unsigned threads = 1) {
  SamplingOptions o;
  o.error = error;
  o.seed = seed;
  o.threads = threads;
  return o;
}

void check_within_bounds(const Graph& g, const NodeMask& mask, double error) {
  const double efficiency = global_efficiency(g, mask);
  const double centralisation = betweenness_centralisation(g, mask);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const SampledMeasures s = sample_measures(g, mask, options(error, seed));
    INFO("seed " << seed << ", " << s.pairs << " pairs, vertex diameter " << s.vertex_diameter);
    CHECK(s.efficiency_error <= error);
    CHECK(s.betweenness_centralisation_error <= error);
    CHECK(std::abs(s.efficiency - efficiency) <= s.efficiency_error);
    CHECK(std::abs(s.betweenness_centralisation - centralisation) <=
          s.betweenness_centralisation_error);
  }
}

}  // namespace

TEST_CASE("sampled measures lie within their bounds of the exact values", "[graph][sampled]") {
  SECTION("a small world") {
    check_within_bounds(small_world(2000, 6, 0.1, 7), {}, 0.05);
  }
  SECTION("hubs (high betweenness centralisation)") {
    const Graph g = preferential(1500, 2, 11);
    REQUIRE(betweenness_centralisation(g) > 0.1);
    check_within_bounds(g, {}, 0.05);
  }
  SECTION("a grid with removed nodes, in two components") {
    const Graph g = grid(60, 30);
    NodeMask mask(g.size(), 1);
    for (std::size_t y = 0; y < 30; ++y)
      mask[y * 60 + 30] = 0;  // a column removed: two 30 x 30 halves
    for (std::size_t v = 0; v < g.size(); v += 7)
      mask[v] = 0;
    check_within_bounds(g, mask, 0.1);
  }
}

TEST_CASE("sampled measures are the same on any number of threads", "[graph][sampled]") {
  const Graph g = small_world(3000, 4, 0.05, 3);
  const SampledMeasures one = sample_measures(g, {}, options(0.05, 42, 1));
  for (unsigned threads : {2u, 3u, 8u}) {
    const SampledMeasures many = sample_measures(g, {}, options(0.05, 42, threads));
    CHECK(many.efficiency == one.efficiency);
    CHECK(many.betweenness_centralisation == one.betweenness_centralisation);
    CHECK(many.pairs == one.pairs);
  }
  const SampledMeasures other = sample_measures(g, {}, options(0.05, 43, 1));
  CHECK(other.efficiency != one.efficiency);  // the seed does choose the pairs
}

TEST_CASE("the sampling bounds, worked by hand", "[graph][sampled]") {
  // Hoeffding, r = 1000, delta = 0.05: sqrt(ln(40) / 2000) = sqrt(3.688879 / 2000).
  CHECK(efficiency_error(1000, 0.95) == Approx(0.0429469).epsilon(1e-5));
  // n = 102, VD = 6, r = 1000, delta = 0.05: every node within
  // sqrt(ln(4 x 102 / 0.05) / 2000) = sqrt(9.006999 / 2000) = 0.0671081, the sum within
  // (6 - 2) sqrt(ln(80) / 2000) = 4 x 0.0468083 = 0.1872330;
  // bound = 102 / (101 x 100) x (102 x 0.0671081 + 0.1872330) = 0.0100990 x 7.0322613.
  CHECK(centralisation_error(102, 6, 1000, 0.95) == Approx(0.0710189).epsilon(1e-5));
  CHECK(centralisation_error(102, 2, 1000, 0.95) == 0.0);  // no path has an inner node
  // The least r: both bounds at most the error, one of them above it with a pair fewer.
  for (double error : {0.01, 0.05, 0.2}) {
    const std::size_t r = required_pairs(5000, 40, error, 0.95);
    CHECK(efficiency_error(r, 0.95) <= error);
    CHECK(centralisation_error(5000, 40, r, 0.95) <= error);
    CHECK(centralisation_error(5000, 40, r - 1, 0.95) > error);
  }
  // A path of 10 nodes: eccentricity 9 from its first node, so at most 2 x 9 + 1 nodes.
  std::vector<Tie> path;
  for (std::size_t v = 0; v + 1 < 10; ++v)
    path.push_back({v, v + 1});
  CHECK(vertex_diameter_bound(Graph(10, path, false), {}) == 19);
}

TEST_CASE("cell networks are measured exactly up to the limit, sampled above it",
          "[graph][sampled][model]") {
  using interdict::model::ModelSpec;
  using interdict::model::NetworkMeasurer;
  const Graph g = preferential(1200, 2, 5);
  NodeMask mask(g.size(), 1);
  for (std::size_t v = 1000; v < g.size(); ++v)
    mask[v] = 0;  // 1000 cells operating
  ModelSpec spec;
  NetworkMeasurer measurer(spec, 99, 2);

  SECTION("exact at the limit: the measures of graph/Structure.hpp, bit for bit") {
    const auto m = measurer.measure(g, mask);
    CHECK(m[5] == global_efficiency(g, mask));
    CHECK(m[7] == betweenness_centralisation(g, mask));
    CHECK(m[6] == degree_centralisation(g, mask));
    CHECK(measurer.record().exact == 1);
    CHECK(measurer.record().sampled == 0);
    CHECK(measurer.record().efficiency_error == 0.0);
  }
  SECTION("sampled above it, within the bounds recorded, the same on any number of threads") {
    mask[1000] = 1;
    const auto m = measurer.measure(g, mask);
    CHECK(measurer.record().sampled == 1);
    CHECK(measurer.record().largest_sample > 0);
    CHECK(measurer.record().efficiency_error <= spec.measure_error);
    CHECK(measurer.record().betweenness_centralisation_error <= spec.measure_error);
    CHECK(std::abs(m[5] - global_efficiency(g, mask)) <= measurer.record().efficiency_error);
    CHECK(std::abs(m[7] - betweenness_centralisation(g, mask)) <=
          measurer.record().betweenness_centralisation_error);
    CHECK(m[6] == degree_centralisation(g, mask));  // the cheap measures stay exact
    NetworkMeasurer alone(spec, 99, 1);
    const auto again = alone.measure(g, mask);
    CHECK(again[5] == m[5]);
    CHECK(again[7] == m[7]);
    CHECK(measurer.measure(g, mask)[7] == m[7]);  // the same network, the same estimate
  }
  SECTION("exact below the limit too when the sample would need n^2 pairs or more") {
    spec.exact_measure_limit = 0;
    NodeMask few(g.size(), 0);
    for (std::size_t v = 0; v < 40; ++v)
      few[v] = 1;  // 40^2 = 1,600, fewer than the 2,000-odd pairs 0.05 needs
    const auto m = measurer.measure(g, few);
    CHECK(m[7] == betweenness_centralisation(g, few));
    CHECK(measurer.record().exact == 1);
    CHECK(std::isfinite(measurer.measure(g, mask)[7]));  // 1000 cells: sampled
    CHECK(measurer.record().sampled == 1);
  }
  SECTION("basic and none leave them out at any size") {
    spec.network_measures = ModelSpec::NetworkMeasures::basic;
    CHECK(std::isnan(measurer.measure(g, mask)[5]));
    CHECK(std::isnan(measurer.measure(g, mask)[7]));
    CHECK(measurer.record().exact + measurer.record().sampled == 0);
  }
}
