// StashRaids: enforcement raids on the places where an organisation's loads wait.
#pragma once

#include <cstdint>
#include <span>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "model/Corruption.hpp"
#include "model/Intelligence.hpp"
#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"
#include "model/Recovery.hpp"
#include "model/Transport.hpp"

namespace interdict::model {

/// Mechanism 11, raids on stashes. A load waits at a place between legs: for a carrier, for
/// coordination, or to try again; that place is then a stash of its organisation. Each agency
/// a raids each stash as a Poisson process of rate
///   h_a = raid_rate_a × (1 + intel_boost_a × K),
/// K = 1 if a cell of the organisation at the place is in a's actionable picture (after its
/// sharing delay), else 0; an agency out of budget does not raid. A raid seizes every load
/// waiting there, arrests raid_arrests members among the organisation's cells at the place,
/// and puts those cells in enforcement's picture (as a dismantle does). So anything that slows
/// loads at places (a fallback delay, a missing carrier, a retry) also exposes them, the more so
/// where enforcement knows the cells. Rates that change with what is known are drawn by
/// thinning: candidate raids at the largest rate Σ raid_rate_a (1 + intel_boost_a), each kept
/// with probability h_a / its maximum. The process of a stash runs only while loads wait
/// there (it is memoryless, so stopping and restarting it changes nothing).
class StashRaids {
 public:
  /// Known cells; arrests; seizing; warnings from police paid by the organisation.
  using Needs = std::tuple<Intelligence, Recovery, Transport, Corruption>;
  StashRaids(ModelContext& context, Intelligence& intelligence, Recovery& recovery,
             Transport& transport, const Corruption& corruption);

  /// Raids and the loads waiting at places, sampled every interval.
  static std::span<const Metric<StashRaids>> series();
  /// Raids over the run and what they seized.
  static std::span<const Metric<StashRaids>> summary();

 private:
  void on_raid(Simulation& sim, const Event& event);
  /// The stash's next candidate raid, an Exp(total rate) wait from now.
  void schedule_candidate(std::uint32_t stash);
  void waiting(std::uint32_t shipment, std::size_t organisation, std::size_t place);
  void moved(std::uint32_t shipment);
  /// Whether agency a's raid on stash `stash` goes ahead (thinning), given what it knows.
  bool goes_ahead(std::size_t agency, std::size_t stash);
  void raid(std::size_t agency, std::size_t stash);

  static constexpr std::uint32_t kNotWaiting = UINT32_MAX;
  static constexpr std::uint32_t kCounted = UINT32_MAX - 1;  // waiting, where no agency raids

  ModelContext& ctx_;
  Intelligence& intelligence_;
  Recovery& recovery_;
  Transport& transport_;
  const Corruption& corruption_;
  LazyStream candidates_rng_;     // candidate raids: when, whose, and whether they go ahead
  LazyStream arrests_rng_;        // who a raid arrests
  std::vector<double> max_rate_;  // per agency: raid_rate × (1 + intel_boost)
  double total_rate_ = 0.0;       // their sum: the rate of candidate raids on a stash
  /// A place where an organisation's loads have waited: the loads waiting there now, and the
  /// next candidate raid while there are any.
  struct Stash {
    std::size_t organisation;
    std::size_t place;
    std::vector<std::uint32_t> loads;
    EventId next{};
  };
  std::vector<Stash> stashes_;                            // made as loads first wait at a place
  std::unordered_map<std::size_t, std::uint32_t> index_;  // organisation × places + place

  std::vector<std::uint32_t> stash_of_;     // per shipment slot: its stash, or kNotWaiting
  std::vector<std::uint32_t> position_of_;  // per shipment slot: its index in the stash's loads
  HandlerId raid_{};
  std::uint64_t waiting_ = 0;  // loads waiting at places now
  std::uint64_t raids_ = 0;
  std::uint64_t seized_count_ = 0;
  double seized_kg_ = 0.0;
};

}  // namespace interdict::model
