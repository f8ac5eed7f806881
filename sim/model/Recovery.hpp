// Recovery: recruitment, replacement of key roles, rebuilding relays and buying vessels.
#pragma once

#include <array>
#include <vector>

#include <boost/random/exponential_distribution.hpp>

#include "model/Intelligence.hpp"
#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"

namespace interdict::model {

/// Mechanisms 5 and 6: what happens after arrests and seizures, and how the network heals.
///  - Arrest: a member leaves its cell. An arrested leader or broker is replaced after an
///    Exp(replacement_delay) wait by a member with the same role from a tied cell that has
///    at least two (Duijn et al. 2014), else by promoting one of the cell's transporters.
///  - Recruitment: every missing member of a cell is sought independently at rate
///    recruitment_rate (so a cell short of k contacts recruits at rate k × recruitment_rate),
///    through the cell's own members or its ties' (a cell with neither cannot recruit, and
///    keeps looking); each recruit costs recruit_cost and becomes active after an
///    Exp(recruitment_delay) wait, in the role with the largest shortfall.
///  - Relays destroyed are rebuilt relay_rebuild_delay days later, vessels seized are
///    replaced vessel_replacement_delay days later, each if the organisation can pay; if not,
///    it tries again after the same delay.
class Recovery {
 public:
  explicit Recovery(ModelContext& context);

  /// Removes one member of `role` from `cell` (must be > 0) and starts recovery.
  void arrest(std::size_t cell, Role role);
  /// Arrests up to `count` members drawn uniformly from the members of `cells`.
  int arrest_among(const std::vector<std::size_t>& cells, int count, LazyStream& rng);
  void relay_destroyed(std::size_t relay);
  void vessel_seized(std::size_t vessel);

  /// Members still missing in a cell, counting recruits on their way.
  int shortfall(std::size_t cell) const;

  /// The series Recovery declares, and its values at the end of the run.
  static std::span<const Metric<Recovery>> series();
  static std::span<const Metric<Recovery>> summary();

 private:
  void on_recruit(Simulation& sim, const Event& event);
  void on_join(Simulation& sim, const Event& event);
  void on_replace(Simulation& sim, const Event& event);
  void on_rebuild(Simulation& sim, const Event& event);
  void on_buy_vessel(Simulation& sim, const Event& event);
  void seek_recruit(std::size_t cell);
  /// Pays `cost` from the organisation's capital, or, short of it, schedules `retry` for
  /// `target` after `delay` days; returns whether it paid.
  /// Whether the organisation may spend `cost` on recovery: anything free, else what keeps its
  /// capital at or above minus its credit limit.
  bool affordable(std::size_t organisation, double cost) const;
  bool pay_or_wait(std::size_t organisation, double cost, double delay, HandlerId retry,
                   std::uint32_t target);
  bool can_recruit(std::size_t cell) const;
  /// An Exp(mean) wait drawn from `rng` (zero, without a draw, if mean <= 0).
  static SimTime exponential(double mean, LazyStream& rng);

  ModelContext& ctx_;
  std::vector<std::array<int, kRoleCount>> pending_by_role_;
  LazyStream replacement_rng_;  // waits before an arrested leader or broker is replaced
  LazyStream recruitment_rng_;  // waits before a missing member's recruit is found
  LazyStream joining_rng_;      // waits before a recruit becomes active
  HandlerId recruit_{}, join_{}, replace_{}, rebuild_{}, buy_vessel_{};
};

}  // namespace interdict::model
