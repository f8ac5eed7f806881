// Corruption: officials an organisation pays to look away on routes and to warn its cells.
#pragma once

#include <span>
#include <vector>

#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"

namespace interdict::model {

/// Mechanism 13, corruption (NarcoLogic pays bribes at nodes to lower interdiction; corrupted
/// municipal police warned Los Zetas' cells, and six were among the 80 arrested in 2011 [F]).
/// A bribe of organisation o buys officials on a route r or at a place p, from its start:
///  - on r, every patrol's detection of o's loads is multiplied by 1 − effect (in the exponent
///    of a per-passage probability and in a hazard alike, as route exposure is);
///  - at p, police warn o's cells: a raid on o's stash there is called off with probability
///    effect.
/// The officials are paid cost_per_day every day under the debt rule (World::affordable); a day
/// the organisation cannot pay, they do not help. A purge (intervention action) removes them;
/// the organisation corrupts others after Exp(replace_days), and pays again from then on.
class Corruption {
 public:
  explicit Corruption(ModelContext& context);

  /// What multiplies the detection of organisation o's loads on `route` now (1: no officials).
  double detection_factor(std::size_t o, std::size_t route) const {
    if (route_bribes_.empty()) return 1.0;
    double factor = 1.0;
    for (std::size_t b : route_bribes_[route])
      if (helping(b) && ctx_.spec().bribes[b].organisation == o)
        factor *= 1.0 - ctx_.spec().bribes[b].effect;
    return factor;
  }
  /// The probability that o's cells at `place` are warned of a raid now.
  double warning(std::size_t o, std::size_t place) const;
  /// Removes bribe b's officials; the organisation will corrupt others.
  void purge(std::size_t bribe);

  /// Officials helping now, sampled every interval.
  static std::span<const Metric<Corruption>> series();
  /// What bribes cost and how often officials were purged.
  static std::span<const Metric<Corruption>> summary();

 private:
  void on_account(Simulation& sim, const Event& event);
  void on_replaced(Simulation& sim, const Event& event);
  bool helping(std::size_t b) const { return in_place_[b] && paid_[b]; }
  double helping_count() const;

  ModelContext& ctx_;
  LazyStream replacement_rng_;  // waits before purged officials are replaced
  std::vector<std::vector<std::size_t>> route_bribes_;  // per route (empty: no route bribes)
  std::vector<char> in_place_;                          // per bribe: officials there now
  std::vector<char> paid_;                              // per bribe: paid for today
  HandlerId account_{}, replaced_{};
  double paid_usd_ = 0.0;
  std::uint64_t purges_ = 0;
};

}  // namespace interdict::model
