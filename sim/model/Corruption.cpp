// Corruption: officials in place and paid, their help, purges and replacement.
#include "model/Corruption.hpp"

namespace interdict::model {

Corruption::Corruption(ModelContext& context)
    : ctx_(context), replacement_rng_(context.streams, "corruption/replacement") {
  const ModelSpec& spec = ctx_.spec();
  in_place_.assign(spec.bribes.size(), 0);
  paid_.assign(spec.bribes.size(), 0);
  account_ = ctx_.sim.add_handler<&Corruption::on_account>("bribes_paid", *this);
  replaced_ = ctx_.sim.add_handler<&Corruption::on_replaced>("officials_corrupted", *this);
  for (std::size_t b = 0; b < spec.bribes.size(); ++b) {
    if (spec.bribes[b].route != kNone) {
      route_bribes_.resize(spec.routes.size());
      route_bribes_[spec.bribes[b].route].push_back(b);
    }
    ctx_.sim.schedule(SimTime::days(spec.bribes[b].start_day), replaced_,
                      static_cast<std::uint32_t>(b), 0, Priority::first);
  }
  if (!spec.bribes.empty()) ctx_.sim.schedule(SimTime::days(1.0), account_, 0, 1, Priority::first);
}

double Corruption::warning(std::size_t o, std::size_t place) const {
  double called_off = 0.0;  // each warning independent
  for (std::size_t b = 0; b < ctx_.spec().bribes.size(); ++b) {
    const BribeSpec& bribe = ctx_.spec().bribes[b];
    if (bribe.place == place && bribe.organisation == o && helping(b))
      called_off = 1.0 - (1.0 - called_off) * (1.0 - bribe.effect);
  }
  return called_off;
}

void Corruption::purge(std::size_t b) {
  if (!in_place_[b]) return;  // already gone, and being replaced
  in_place_[b] = 0;
  ++purges_;
  ctx_.sim.schedule_in(
      SimTime::days(exponential_wait(ctx_.spec().bribes[b].replace_days, replacement_rng_)),
      replaced_, static_cast<std::uint32_t>(b));
}

void Corruption::on_replaced(Simulation&, const Event& event) {
  // New officials in place, paid for the day at once if the organisation can.
  const std::size_t b = event.target;
  const BribeSpec& bribe = ctx_.spec().bribes[b];
  in_place_[b] = 1;
  paid_[b] = ctx_.world.affordable(bribe.organisation, bribe.cost_per_day) ? 1 : 0;
  if (paid_[b]) {
    ctx_.world.organisations[bribe.organisation].capital -= bribe.cost_per_day;
    paid_usd_ += bribe.cost_per_day;
  }
}

void Corruption::on_account(Simulation&, const Event& event) {
  for (std::size_t b = 0; b < ctx_.spec().bribes.size(); ++b) {
    if (!in_place_[b]) continue;
    const BribeSpec& bribe = ctx_.spec().bribes[b];
    paid_[b] = ctx_.world.affordable(bribe.organisation, bribe.cost_per_day) ? 1 : 0;
    if (!paid_[b]) continue;
    ctx_.world.organisations[bribe.organisation].capital -= bribe.cost_per_day;
    paid_usd_ += bribe.cost_per_day;
  }
  ctx_.schedule_tick(account_, event.payload + 1, 1.0, Priority::first);
}

double Corruption::helping_count() const {
  double n = 0.0;
  for (std::size_t b = 0; b < in_place_.size(); ++b)
    n += helping(b) ? 1.0 : 0.0;
  return n;
}

std::span<const Metric<Corruption>> Corruption::series() {
  static const Metric<Corruption> kSeries[] = {
      {{"bribes_active", "1", "bribes whose officials are in place and paid for the day"},
       [](Corruption& m) { return m.helping_count(); }},
  };
  return kSeries;
}

std::span<const Metric<Corruption>> Corruption::summary() {
  static const Metric<Corruption> kSummary[] = {
      {{"bribes_paid_usd", "USD", "paid to corrupted officials over the run"},
       [](Corruption& m) { return m.paid_usd_; }},
      {{"officials_purged", "1", "times an intervention removed a bribe's officials"},
       [](Corruption& m) { return static_cast<double>(m.purges_); }},
  };
  return kSummary;
}

}  // namespace interdict::model
