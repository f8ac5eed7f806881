// RandomStreams: reproducibility, independence and order-independence of named streams.
#include <catch2/catch.hpp>

#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <vector>

#include "core/RandomStreams.hpp"

using namespace interdict;

namespace {

std::vector<double> draws(RandomEngine rng, std::size_t n) {
  boost::random::uniform_01<double> u;
  std::vector<double> out(n);
  for (double& x : out)
    x = u(rng);
  return out;
}

}  // namespace

TEST_CASE("a stream is a pure function of (seed, replicate, name)", "[random]") {
  const RandomStreams a(42, 3);
  const RandomStreams b(42, 3);
  CHECK(draws(a.stream("arrivals"), 100) == draws(b.stream("arrivals"), 100));
  // Creating other streams first, or in another order, changes nothing.
  const auto travel_first = draws(b.stream("travel"), 10);
  CHECK(draws(a.stream("arrivals"), 100) == draws(b.stream("arrivals"), 100));
  CHECK(travel_first == draws(a.stream("travel"), 10));
}

TEST_CASE("streams differ by name, seed and replicate", "[random]") {
  const auto base = draws(RandomStreams(1, 0).stream("x"), 10);
  CHECK(base != draws(RandomStreams(1, 0).stream("y"), 10));
  CHECK(base != draws(RandomStreams(2, 0).stream("x"), 10));
  CHECK(base != draws(RandomStreams(1, 1).stream("x"), 10));
  CHECK(RandomStreams::stream_seed(1, 0, "x") != RandomStreams::stream_seed(0, 1, "x"));
}

TEST_CASE("neighbouring streams are uncorrelated", "[random]") {
  // Pearson correlation of n uniform pairs has sd 1/sqrt(n); 4 sd is a generous bound.
  constexpr std::size_t n = 20000;
  const RandomStreams streams(1, 0);
  const auto names =
      GENERATE(std::make_pair("detection/a", "detection/b"), std::make_pair("r0", "r1"));
  const auto x = draws(streams.stream(names.first), n);
  const auto y = draws(RandomStreams(1, 1).stream(names.first), n);
  const auto z = draws(streams.stream(names.second), n);
  const auto correlation = [](const std::vector<double>& a, const std::vector<double>& b) {
    double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      sa += a[i];
      sb += b[i];
      sab += a[i] * b[i];
      saa += a[i] * a[i];
      sbb += b[i] * b[i];
    }
    const double m = static_cast<double>(a.size());
    return (sab - sa * sb / m) / std::sqrt((saa - sa * sa / m) * (sbb - sb * sb / m));
  };
  CHECK(std::abs(correlation(x, z)) < 4.0 / std::sqrt(n));
  CHECK(std::abs(correlation(x, y)) < 4.0 / std::sqrt(n));
  double mean = 0;
  for (double v : x)
    mean += v / n;
  CHECK(mean == Approx(0.5).margin(4.0 * std::sqrt(1.0 / 12.0 / n)));
}
