// Interdiction: detection on routes, the enforcement intelligence picture, agency budgets.
#pragma once

#include <optional>
#include <tuple>
#include <vector>

#include "model/Corruption.hpp"
#include "model/Intelligence.hpp"
#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"
#include "model/Recovery.hpp"

namespace interdict::model {

/// A patrol's detection of a shipment during a traversal.
struct Detection {
  double after_days = 0.0;  // from departure
  std::size_t patrol = 0;
};

/// Mechanism 4. A shipment setting off on route r for a traversal of τ days meets each
/// patrol j on r that is active (start ≤ t < end, its agency within budget). With
///   m_j = exposure_r · (1 + boost if j's agency holds actionable intelligence on r)
///                    / (1 + lookout_effect · lookouts of the organisation at the origin),
/// patrol j detects the shipment either by a per-passage chance 1 − (1 − p_j)^m_j (at a
/// uniform moment of the traversal) or by a hazard intensity_j · m_j per day of exposure
/// (time to detection Exp(intensity_j · m_j), a detection if shorter than τ). The earliest
/// detection seizes the load. Intercepted fallback communications make intelligence on the
/// route actionable after the agency's sharing delay, for its lifetime.
class Interdiction {
 public:
  using Needs = std::tuple<Recovery, Corruption>;  // arrests on a seizure; officials who look away
  /// Listens to seizure (arrests, vessel seizure) and call_intercepted (intelligence windows).
  Interdiction(ModelContext& context, Recovery& recovery, const Corruption& corruption);

  std::optional<Detection> detect(std::size_t route, double travel_days, std::size_t organisation,
                                  std::size_t origin_place);
  bool patrol_active(std::size_t patrol, double t) const;

  /// The series Interdiction declares, and its values at the end of the run.
  static std::span<const Metric<Interdiction>> series();
  static std::span<const Metric<Interdiction>> summary();

 private:
  void on_account(Simulation& sim, const Event& event);
  /// A coordination call about `route` was intercepted: intelligence about the route reaches
  /// every agency (after each one's sharing delay).
  void intercepted(std::size_t route);
  /// Arrests and vessel seizure after `patrol` seized a load carried by the given carrier.
  void after_seizure(CarrierKind carrier, std::size_t carrier_index, std::size_t patrol);

  ModelContext& ctx_;
  Recovery& recovery_;
  const Corruption& corruption_;
  std::vector<RandomEngine> detection_rng_;  // per patrol
  LazyStream arrests_rng_;                   // crew members arrested at a seizure
  LazyStream vessel_seizure_rng_;            // whether a seizure takes the vessel too
  HandlerId account_{};
};

}  // namespace interdict::model
