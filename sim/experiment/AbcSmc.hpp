// AbcSmc: the arithmetic of approximate Bayesian computation by sequential Monte Carlo (Toni et
// al. 2009; Beaumont et al. 2009): priors, the perturbation kernel, importance weights and
// tolerances. No simulation here: Calibrate runs the particles.
#pragma once

#include <cstddef>
#include <vector>

#include "core/RandomStreams.hpp"
#include "scenario/Calibration.hpp"

namespace interdict::experiment::abc {

using Point = std::vector<double>;
using Points = std::vector<Point>;

/// The priors of the free parameters, seen in the space the kernel moves in: the logarithm of
/// parameters with a log-uniform prior, the value itself otherwise. There every prior is flat
/// or normal, so the kernel's steps are in proportion to the prior's spread.
class Space {
 public:
  explicit Space(std::vector<scenario::Prior> priors) : priors_(std::move(priors)) {}

  std::size_t size() const { return priors_.size(); }
  Point to_internal(const Point& theta) const;
  Point to_model(const Point& u) const;
  /// Whether `u` (internal) lies in the priors' support.
  bool inside(const Point& u) const;
  /// The log prior density at `u` (internal), up to a constant; -inf outside the support.
  double log_density(const Point& u) const;
  /// A draw from the priors, in model space (a normal truncated to its bounds by inverting its
  /// distribution function, so every draw takes the same number of random numbers).
  Point draw(RandomEngine& rng) const;

 private:
  std::vector<scenario::Prior> priors_;
};

/// A multivariate normal perturbation with twice the weighted covariance of the previous
/// population (Beaumont et al. 2009), in internal space.
class Kernel {
 public:
  Kernel(const Points& internal, const std::vector<double>& weights);
  Point perturb(const Point& u, RandomEngine& rng) const;
  /// log K(to | from), up to a constant.
  double log_density(const Point& from, const Point& to) const;

 private:
  std::size_t dimension_;
  std::vector<double> lower_;      // Cholesky factor of the covariance, row-major
  std::vector<double> precision_;  // its inverse, row-major
};

/// Importance weights of `current` (internal) given the previous population: prior density
/// over the mixture of kernels around the previous particles, normalised to sum to 1.
std::vector<double> importance_weights(const Space& space, const Kernel& kernel,
                                       const Points& previous, const std::vector<double>& weights,
                                       const Points& current);

/// The q-quantile of the finite values (linear interpolation between order statistics).
double quantile(std::vector<double> values, double q);

/// Kish's effective sample size 1 / sum(w^2) of normalised weights.
double effective_sample_size(const std::vector<double>& weights);

/// Running sums of `weights`, for draw_index.
std::vector<double> cumulative(const std::vector<double>& weights);

/// An index drawn with probability proportional to the weights whose running sums are given.
std::size_t draw_index(const std::vector<double>& cumulative, RandomEngine& rng);

}  // namespace interdict::experiment::abc
