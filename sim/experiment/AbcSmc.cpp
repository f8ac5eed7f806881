// AbcSmc: priors in internal space, the kernel (Eigen's Cholesky factorisation), weights.
#include "experiment/AbcSmc.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace interdict::experiment::abc {

namespace {

using Kind = scenario::Prior::Kind;
constexpr double kInf = std::numeric_limits<double>::infinity();

double internal_of(const scenario::Prior& p, double x) {
  return p.kind == Kind::log_uniform ? std::log(x) : x;
}

/// log(sum(exp(values))) without overflow.
double log_sum_exp(const std::vector<double>& values) {
  const double top = *std::max_element(values.begin(), values.end());
  if (!std::isfinite(top)) return top;
  double sum = 0.0;
  for (const double v : values)
    sum += std::exp(v - top);
  return top + std::log(sum);
}

}  // namespace

Point Space::to_internal(const Point& theta) const {
  Point u(theta.size());
  for (std::size_t i = 0; i < theta.size(); ++i)
    u[i] = internal_of(priors_[i], theta[i]);
  return u;
}

Point Space::to_model(const Point& u) const {
  Point theta(u.size());
  for (std::size_t i = 0; i < u.size(); ++i)
    theta[i] = priors_[i].kind == Kind::log_uniform ? std::exp(u[i]) : u[i];
  return theta;
}

bool Space::inside(const Point& u) const {
  for (std::size_t i = 0; i < u.size(); ++i) {
    const scenario::Prior& p = priors_[i];
    if (!(u[i] >= internal_of(p, p.low) && u[i] <= internal_of(p, p.high))) return false;
  }
  return true;
}

double Space::log_density(const Point& u) const {
  if (!inside(u)) return -kInf;
  double log_p = 0.0;
  for (std::size_t i = 0; i < u.size(); ++i)
    if (priors_[i].kind == Kind::normal) {
      const double z = (u[i] - priors_[i].mean) / priors_[i].sd;
      log_p -= 0.5 * z * z;
    }
  return log_p;
}

Point Space::draw(RandomEngine& rng) const {
  Point theta(priors_.size());
  boost::random::uniform_01<double> uniform;
  for (std::size_t i = 0; i < priors_.size(); ++i) {
    const scenario::Prior& p = priors_[i];
    const double v = uniform(rng);
    if (p.kind == Kind::uniform) {
      theta[i] = p.low + v * (p.high - p.low);
    } else if (p.kind == Kind::log_uniform) {
      theta[i] = std::exp(std::log(p.low) + v * (std::log(p.high) - std::log(p.low)));
    } else {
      const boost::math::normal normal(p.mean, p.sd);
      const double a = std::isfinite(p.low) ? boost::math::cdf(normal, p.low) : 0.0;
      const double b = std::isfinite(p.high) ? boost::math::cdf(normal, p.high) : 1.0;
      // Stay strictly inside (0, 1), where the quantile is finite.
      const double c = std::clamp(a + v * (b - a), 1e-300, 1.0 - 1e-16);
      theta[i] = std::clamp(boost::math::quantile(normal, c), p.low, p.high);
    }
  }
  return theta;
}

Kernel::Kernel(const Points& internal, const std::vector<double>& weights)
    : dimension_(internal.front().size()) {
  const auto k = static_cast<Eigen::Index>(dimension_);
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(k);
  for (std::size_t i = 0; i < internal.size(); ++i)
    mean += weights[i] * Eigen::Map<const Eigen::VectorXd>(internal[i].data(), k);
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(k, k);
  double sum_squares = 0.0;
  for (std::size_t i = 0; i < internal.size(); ++i) {
    const Eigen::VectorXd d = Eigen::Map<const Eigen::VectorXd>(internal[i].data(), k) - mean;
    covariance += weights[i] * d * d.transpose();
    sum_squares += weights[i] * weights[i];
  }
  if (sum_squares < 1.0) covariance /= 1.0 - sum_squares;  // unbiased for weighted samples
  covariance *= 2.0;
  // A parameter on which every particle agrees would make the covariance singular: give it a
  // tiny spread of its own, relative to its size.
  for (Eigen::Index i = 0; i < k; ++i)
    covariance(i, i) += 1e-12 * (1.0 + mean(i) * mean(i));
  const Eigen::LLT<Eigen::MatrixXd> llt(covariance);
  if (llt.info() != Eigen::Success)
    throw std::runtime_error("calibration: the particles' covariance is not positive definite");
  const Eigen::MatrixXd lower = llt.matrixL();
  const Eigen::MatrixXd precision = llt.solve(Eigen::MatrixXd::Identity(k, k));
  lower_.assign(lower.data(), lower.data() + k * k);  // column-major; symmetric use below
  precision_.assign(precision.data(), precision.data() + k * k);
}

Point Kernel::perturb(const Point& u, RandomEngine& rng) const {
  const auto k = static_cast<Eigen::Index>(dimension_);
  boost::random::normal_distribution<double> normal;
  Eigen::VectorXd z(k);
  for (Eigen::Index i = 0; i < k; ++i)
    z(i) = normal(rng);
  const Eigen::VectorXd step = Eigen::Map<const Eigen::MatrixXd>(lower_.data(), k, k) * z;
  Point out(u);
  for (Eigen::Index i = 0; i < k; ++i)
    out[static_cast<std::size_t>(i)] += step(i);
  return out;
}

double Kernel::log_density(const Point& from, const Point& to) const {
  const auto k = static_cast<Eigen::Index>(dimension_);
  const Eigen::VectorXd d = Eigen::Map<const Eigen::VectorXd>(to.data(), k) -
                            Eigen::Map<const Eigen::VectorXd>(from.data(), k);
  return -0.5 * d.dot(Eigen::Map<const Eigen::MatrixXd>(precision_.data(), k, k) * d);
}

std::vector<double> importance_weights(const Space& space, const Kernel& kernel,
                                       const Points& previous, const std::vector<double>& weights,
                                       const Points& current) {
  std::vector<double> log_w(current.size());
  std::vector<double> terms(previous.size());
  for (std::size_t i = 0; i < current.size(); ++i) {
    for (std::size_t j = 0; j < previous.size(); ++j)
      terms[j] = std::log(weights[j]) + kernel.log_density(previous[j], current[i]);
    log_w[i] = space.log_density(current[i]) - log_sum_exp(terms);
  }
  const double total = log_sum_exp(log_w);
  std::vector<double> w(current.size());
  for (std::size_t i = 0; i < w.size(); ++i)
    w[i] = std::exp(log_w[i] - total);
  return w;
}

double quantile(std::vector<double> values, double q) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  if (values.empty()) return kInf;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double f = position - static_cast<double>(below);
  return values[below] + f * (values[above] - values[below]);
}

double effective_sample_size(const std::vector<double>& weights) {
  double sum_squares = 0.0;
  for (const double w : weights)
    sum_squares += w * w;
  return sum_squares > 0.0 ? 1.0 / sum_squares : 0.0;
}

std::vector<double> cumulative(const std::vector<double>& weights) {
  std::vector<double> sums(weights.size());
  std::partial_sum(weights.begin(), weights.end(), sums.begin());
  return sums;
}

std::size_t draw_index(const std::vector<double>& sums, RandomEngine& rng) {
  const double v = boost::random::uniform_01<double>()(rng) * sums.back();
  const auto it = std::upper_bound(sums.begin(), sums.end(), v);
  return std::min(static_cast<std::size_t>(it - sums.begin()), sums.size() - 1);
}

}  // namespace interdict::experiment::abc
