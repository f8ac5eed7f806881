// Least-cost trees kept up to date as route weights change equal trees searched afresh.
#include <catch2/catch.hpp>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "core/RandomStreams.hpp"
#include "model/RouteNetwork.hpp"

using namespace interdict;
using namespace interdict::model;

namespace {

/// A random directed network: each place has routes to a few others, weights drawn from a
/// handful of values so that equal costs (and the tie rule) are common.
struct RandomNetwork {
  std::vector<PlaceSpec> places;
  std::vector<RouteSpec> routes;
  std::vector<double> weights;

  RandomNetwork(std::size_t n, std::size_t out, RandomEngine& rng) {
    places.resize(n);
    boost::random::uniform_int_distribution<std::size_t> place(0, n - 1);
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t k = 0; k < out; ++k) {
        const std::size_t to = place(rng);
        if (to == p) continue;
        routes.push_back(RouteSpec{.from = p, .to = to});
        weights.push_back(draw(rng));
      }
  }

  /// 0.25, 0.5, ..., 2 (sums of these are exact, so ties are real) or, one time in eight,
  /// no carrier (+infinity).
  static double draw(RandomEngine& rng) {
    const std::size_t k = boost::random::uniform_int_distribution<std::size_t>(0, 8)(rng);
    return k == 8 ? std::numeric_limits<double>::infinity() : 0.25 * static_cast<double>(k + 1);
  }
};

}  // namespace

TEST_CASE("an updated tree equals a tree searched afresh, place by place", "[model][routing]") {
  RandomEngine rng = RandomStreams(7, 0).stream("test");
  const std::size_t n = GENERATE(2, 30, 400);
  RandomNetwork net(n, 3, rng);
  const RouteNetwork network(net.places, net.routes);
  PathTree kept;
  network.build_tree(0, net.weights, {}, kept);
  REQUIRE(kept.updatable);
  boost::random::uniform_int_distribution<std::size_t> route(0, net.routes.size() - 1);
  boost::random::uniform_int_distribution<std::size_t> batch(1, 6);
  std::size_t searched_again = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<WeightChange> changes;
    for (std::size_t k = batch(rng); k > 0; --k) {
      const std::size_t r = route(rng);
      changes.push_back({r, net.weights[r]});
      net.weights[r] = RandomNetwork::draw(rng);
    }
    if (!network.update_tree(net.weights, changes, kept)) {
      ++searched_again;
      network.build_tree(0, net.weights, {}, kept);
    }
    PathTree fresh;
    network.build_tree(0, net.weights, {}, fresh);
    CAPTURE(n, round);
    REQUIRE(kept.best == fresh.best);
    REQUIRE(kept.next == fresh.next);
  }
  CHECK(searched_again == 0);  // positive weights: never needed
}

TEST_CASE("the paths of needed places are those of the early-stopping search", "[model][routing]") {
  RandomEngine rng = RandomStreams(8, 0).stream("test");
  RandomNetwork net(300, 3, rng);
  const RouteNetwork network(net.places, net.routes);
  const std::vector<std::size_t> needed{5, 17, 250};
  PathTree tree;
  network.build_tree(0, net.weights, needed, tree);
  const auto early = network.least_cost_tree_to(0, net.weights, needed);
  for (std::size_t p : needed)
    for (std::size_t place = p; place != 0 && tree.next[place] != kNone;
         place = net.routes[tree.next[place]].to)
      REQUIRE(early[place] == tree.next[place]);
}

TEST_CASE("a zero weight makes a tree one that can only be searched again", "[model][routing]") {
  // a -> b -> c, b -> c costs nothing: b's cost equals c's, and which route a search settles
  // first is no longer fixed by the costs.
  std::vector<PlaceSpec> places(3);
  std::vector<RouteSpec> routes{{.from = 0, .to = 1}, {.from = 1, .to = 2}};
  const RouteNetwork network(places, routes);
  std::vector<double> weights{1.0, 0.0};
  PathTree tree;
  network.build_tree(2, weights, {}, tree);
  CHECK_FALSE(tree.updatable);
  CHECK(tree.best == std::vector<double>{1.0, 0.0, 0.0});
  weights = {1.0, 2.0};
  const std::vector<WeightChange> changes{{1, 0.0}};
  CHECK_FALSE(network.update_tree(weights, changes, tree));
  // Hand-worked: raising b -> c to 2 makes b cost 2 and a 3.
  network.build_tree(2, weights, {}, tree);
  REQUIRE(tree.updatable);
  CHECK(tree.best == std::vector<double>{3.0, 2.0, 0.0});
  CHECK(tree.next == std::vector<std::size_t>{0, 1, kNone});
  weights = {1.0, 0.5};  // cheaper: an update, by hand 1.5 and 0.5
  const std::vector<WeightChange> cheaper{{1, 2.0}};
  REQUIRE(network.update_tree(weights, cheaper, tree));
  CHECK(tree.best == std::vector<double>{1.5, 0.5, 0.0});
}

TEST_CASE("a zero weight out of a settled place is seen too", "[model][routing]") {
  // Target T = 3. r0 X -> P costs 0, r1 Z -> T 5, r2 X -> T 1, r3 P -> T 1. X and P both cost
  // 1 and X may settle first, so r0 is looked at from a settled place; were it not checked,
  // the tree would pass for updatable, and after r1 became cheaper an update would keep
  // next[X] = r2 where a fresh search, settling P before X, finds r0 (equal cost, lower number).
  std::vector<PlaceSpec> places(4);  // X = 0, P = 1, Z = 2, T = 3
  std::vector<RouteSpec> routes{
      {.from = 0, .to = 1}, {.from = 2, .to = 3}, {.from = 0, .to = 3}, {.from = 1, .to = 3}};
  const RouteNetwork network(places, routes);
  std::vector<double> weights{0.0, 5.0, 1.0, 1.0};
  PathTree tree;
  network.build_tree(3, weights, {0}, tree);
  CHECK_FALSE(tree.updatable);
  weights[1] = 0.5;
  const std::vector<WeightChange> changes{{1, 5.0}};
  CHECK_FALSE(network.update_tree(weights, changes, tree));
}
