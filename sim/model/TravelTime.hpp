// TravelTime: drawing traversal times from a route's distribution.
#pragma once

#include <utility>

#include "core/RandomStreams.hpp"
#include "model/ModelSpec.hpp"

namespace interdict::model {

/// Parameters (mu, sigma) of the lognormal distribution with the given mean and sd.
std::pair<double, double> lognormal_parameters(double mean, double sd);

/// A travel time in days: the mean (fixed, or lognormal with sd 0), Exp(mean), or lognormal.
double draw_travel_days(TravelTimeDistribution distribution, double mean, double sd,
                        RandomEngine& rng);

}  // namespace interdict::model
