// Market: wholesale prices that respond to the supply delivered against demand.
#pragma once

#include <span>
#include <vector>

#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"

namespace interdict::model {

/// Mechanism 12, markets (after the risks-and-prices account of Reuter & Kleiman 1986 and
/// Caulkins & Reuter 2010 [F]: supply-side enforcement works by raising traffickers' costs and so
/// prices, and is judged by price and availability). A market with demand D0 (kg/day at its
/// reference price p0 = price_per_kg) and price elasticity e clears what is delivered: with S the
/// delivery rate averaged over the adjustment time T,
///   S(t) = (1/T) Σ_deliveries kg_i e^(−(t − t_i)/T)   (S = D0 at t = 0),
///   p(t) = p0 (S / D0)^(−1/e), kept within [p0 / cap, p0 × cap],
/// the price at which consumers take S (demand D0 (p / p0)^(−e)). Scarcity raises the price,
/// gluts lower it, over about T days. A delivery is sold at the price just before it. A market
/// without demand keeps its fixed price p0. Sources respond to their market's price (their rate
/// times (p / p0)^η, η = supply_elasticity; Transport draws it by thinning), and route choice
/// weighs transport cost against the current price (RoutePlanner).
class Market {
 public:
  explicit Market(ModelContext& context);

  /// The price per kg at market m now.
  double price(std::size_t m) const;
  /// Sells `kg` at market m now: returns the price per kg it fetched and adds it to the supply.
  double sell(std::size_t m, double kg);
  /// Price now relative to the reference price (1 for a market without demand).
  double price_ratio(std::size_t m) const;
  /// The largest price ratio market m can reach (its cap; 1 without demand).
  double largest_ratio(std::size_t m) const;

  /// Prices and consumption, sampled every interval.
  static std::span<const Metric<Market>> series();

 private:
  /// Market m's averaged delivery rate S at time t (kg/day).
  double supply(std::size_t m, double t) const;
  double mean_price() const;
  double consumption() const;

  ModelContext& ctx_;
  std::vector<double> supply_;   // S at the last delivery
  std::vector<double> updated_;  // time of the last delivery
};

}  // namespace interdict::model
