// TravelTime: lognormal parameterisation and travel-time draws.
#include "model/TravelTime.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <cmath>

namespace interdict::model {

std::pair<double, double> lognormal_parameters(double mean, double sd) {
  const double sigma2 = std::log1p((sd * sd) / (mean * mean));
  return {std::log(mean) - sigma2 / 2.0, std::sqrt(sigma2)};
}

double draw_travel_days(TravelTimeDistribution distribution, double mean, double sd,
                        RandomEngine& rng) {
  switch (distribution) {
    case TravelTimeDistribution::fixed:
      return mean;
    case TravelTimeDistribution::exponential:
      return boost::random::exponential_distribution<double>(1.0 / mean)(rng);
    case TravelTimeDistribution::lognormal:
      break;
  }
  if (sd <= 0.0) return mean;
  const auto [mu, sigma] = lognormal_parameters(mean, sd);
  return boost::random::lognormal_distribution<double>(mu, sigma)(rng);
}

}  // namespace interdict::model
