// Market: supply averaged over the adjustment time, and the price that clears it.
#include "model/Market.hpp"

#include <algorithm>
#include <cmath>

namespace interdict::model {

Market::Market(ModelContext& context) : ctx_(context) {
  for (const MarketSpec& m : ctx_.spec().markets) {
    supply_.push_back(m.demand_kg_per_day);  // the market starts at its reference price
    updated_.push_back(0.0);
  }
}

double Market::supply(std::size_t m, double t) const {
  const MarketSpec& spec = ctx_.spec().markets[m];
  return supply_[m] * std::exp(-(t - updated_[m]) / spec.adjustment_days);
}

double Market::price(std::size_t m) const {
  const MarketSpec& spec = ctx_.spec().markets[m];
  if (spec.demand_kg_per_day <= 0.0) return spec.price_per_kg;
  const double s = supply(m, ctx_.now());
  // p0 (S / D0)^(−1/e) within the cap; no supply at all is the top of the range.
  const double ratio =
      s > 0.0 ? std::pow(s / spec.demand_kg_per_day, -1.0 / spec.elasticity) : spec.price_cap;
  return spec.price_per_kg * std::clamp(ratio, 1.0 / spec.price_cap, spec.price_cap);
}

double Market::price_ratio(std::size_t m) const {
  const MarketSpec& spec = ctx_.spec().markets[m];
  return spec.demand_kg_per_day > 0.0 ? price(m) / std::max(spec.price_per_kg, 1.0) : 1.0;
}

double Market::largest_ratio(std::size_t m) const {
  const MarketSpec& spec = ctx_.spec().markets[m];
  return spec.demand_kg_per_day > 0.0 ? spec.price_cap : 1.0;
}

double Market::sell(std::size_t m, double kg) {
  const double fetched = price(m);
  const MarketSpec& spec = ctx_.spec().markets[m];
  if (spec.demand_kg_per_day > 0.0) {
    const double now = ctx_.now();
    supply_[m] = supply(m, now) + kg / spec.adjustment_days;
    updated_[m] = now;
  }
  return fetched;
}

double Market::mean_price() const {
  const std::size_t n = ctx_.spec().markets.size();
  double sum = 0.0;
  for (std::size_t m = 0; m < n; ++m)
    sum += price(m);
  return n == 0 ? 0.0 : sum / static_cast<double>(n);
}

double Market::consumption() const {
  double sum = 0.0;
  for (std::size_t m = 0; m < supply_.size(); ++m)
    if (ctx_.spec().markets[m].demand_kg_per_day > 0.0) sum += supply(m, ctx_.now());
  return sum;
}

std::span<const Metric<Market>> Market::series() {
  static const Metric<Market> kSeries[] = {
      {{"price_usd_per_kg", "USD/kg",
        "wholesale price, averaged over markets (fixed where a market has no demand)"},
       [](Market& m) { return m.mean_price(); }},
      {{"consumption_kg_per_day", "kg/day",
        "kilograms consumed per day at markets with demand: their delivery rate averaged over "
        "the adjustment time, which the price clears"},
       [](Market& m) { return m.consumption(); }},
  };
  return kSeries;
}

}  // namespace interdict::model
