// SensitivityDesign: Morris trajectories and Saltelli's A, B, AB_i matrices in the unit cube.
#include "scenario/SensitivityDesign.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <charconv>
#include <cmath>
#include <numeric>

#include "core/RandomStreams.hpp"

namespace interdict::scenario {

namespace {

/// An integer from [0, n) (Boost's distribution: the same draws on every platform).
std::size_t draw_below(RandomEngine& rng, std::size_t n) {
  return boost::random::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

/// The top 53 bits of a 64-bit integer as a double in [0, 1).
double unit_of(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1p-53;
}

std::string json_number(double x) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, end);
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

double Factor::value(double u) const {
  if (u <= 0.0) return low;  // the ends exactly, whatever exp(log(x)) rounds to
  if (u >= 1.0) return high;
  const double x =
      log ? std::exp(std::log(low) + u * (std::log(high) - std::log(low))) : low + u * (high - low);
  return std::clamp(x, low, high);  // rounding must never leave the range
}

std::vector<UnitPoint> morris_points(std::size_t factors, std::size_t trajectories, unsigned levels,
                                     std::uint64_t seed) {
  // Grid units: level g is u = g / (levels - 1); a step is levels / 2 of them, and a start on
  // one of the lower levels / 2 levels moving up (or one step higher, moving down) stays inside.
  const std::size_t top = levels - 1;
  const std::size_t step = levels / 2;
  RandomEngine rng = RandomStreams(seed, 0).stream("morris/trajectories");
  std::vector<UnitPoint> points;
  points.reserve(trajectories * (factors + 1));
  for (std::size_t t = 0; t < trajectories; ++t) {
    std::vector<std::size_t> grid(factors);
    std::vector<bool> up(factors);
    for (std::size_t i = 0; i < factors; ++i) {
      grid[i] = draw_below(rng, step);
      up[i] = draw_below(rng, 2) == 1;
      if (!up[i]) grid[i] += step;
    }
    std::vector<std::size_t> order(factors);
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = factors; i > 1; --i)
      std::swap(order[i - 1], order[draw_below(rng, i)]);
    const auto add = [&](const std::string& role, std::int64_t factor) {
      UnitPoint p;
      for (std::size_t g : grid)
        p.u.push_back(static_cast<double>(g) / static_cast<double>(top));
      p.where = DesignPoint{static_cast<std::int64_t>(points.size()), static_cast<std::int64_t>(t),
                            role, factor};
      points.push_back(std::move(p));
    };
    add("start", -1);
    for (std::size_t i : order) {
      grid[i] = up[i] ? grid[i] + step : grid[i] - step;
      add("step", static_cast<std::int64_t>(i));
    }
  }
  return points;
}

std::vector<UnitPoint> saltelli_points(std::size_t factors, std::size_t base_points,
                                       std::uint64_t seed) {
  const std::size_t k = factors;
  boost::random::sobol sequence(2 * k);
  // A random digital shift (XOR of each coordinate's bits) keeps the sequence's stratification
  // and makes the design random, so that its error can be judged by resampling.
  RandomEngine rng = RandomStreams(seed, 0).stream("saltelli/digital-shift");
  std::vector<std::uint64_t> shift(2 * k);
  for (std::uint64_t& s : shift)
    s = rng();
  std::vector<UnitPoint> points;
  points.reserve(base_points * (k + 2));
  std::vector<double> row(2 * k);
  for (std::size_t j = 0; j < base_points; ++j) {
    for (std::size_t d = 0; d < 2 * k; ++d)
      row[d] = unit_of(sequence() ^ shift[d]);
    const auto add = [&](const std::string& role, std::int64_t factor, std::size_t from) {
      UnitPoint p;
      p.u.assign(row.begin() + static_cast<std::ptrdiff_t>(from),
                 row.begin() + static_cast<std::ptrdiff_t>(from + k));
      if (factor >= 0)
        p.u[static_cast<std::size_t>(factor)] = row[k + static_cast<std::size_t>(factor)];
      p.where = DesignPoint{static_cast<std::int64_t>(points.size()), static_cast<std::int64_t>(j),
                            role, factor};
      points.push_back(std::move(p));
    };
    add("A", -1, 0);
    add("B", -1, k);
    for (std::size_t i = 0; i < k; ++i)
      add("AB", static_cast<std::int64_t>(i), 0);
  }
  return points;
}

std::string design_description(const std::string& method, const std::vector<Factor>& factors,
                               const std::vector<std::pair<std::string, double>>& settings) {
  std::string out = "{\"method\": " + json_string(method);
  for (const auto& [name, value] : settings)
    out += ", " + json_string(name) + ": " + json_number(value);
  out += ", \"factors\": [";
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const Factor& f = factors[i];
    out += std::string(i ? ", " : "") + "{\"key\": " + json_string(f.key) +
           ", \"low\": " + json_number(f.low) + ", \"high\": " + json_number(f.high) +
           ", \"scale\": " + (f.log ? "\"log\"" : "\"linear\"") + "}";
  }
  return out + "]}";
}

}  // namespace interdict::scenario
