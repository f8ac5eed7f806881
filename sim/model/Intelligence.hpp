// Intelligence: enforcement's picture of the cell network, built from seizures, intercepted
// calls, social media and informants, decaying unless refreshed, shared after a delay.
#pragma once

#include <array>
#include <vector>

#include "graph/Graph.hpp"
#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"
#include "model/Sightings.hpp"

namespace interdict::model {

/// Mechanism 9. The true network has the cells as nodes and their ties; a cell operates while
/// it has members. Enforcement learns cells and ties (never a tie the true network lacks):
/// - a seized load's crew: its cell (or the cells at a seized vessel's home port) and each of
///   its ties with probability reveal_probability; the same for cells hit by interventions;
/// - an intercepted coordination call: the cells of the organisation at both ends of the leg
///   (probability leak_locates) and a tie between them if there is one;
/// - social-media monitoring (while on): posts locate active cells (rate per cell and day), and
///   each recruit's tracks locate its cell with probability recruit_exposure;
/// - radio interception (while on): a radio hand-off is intercepted with a probability;
/// - informants: at a rate per day, a random active cell and all its ties.
/// An item is actionable for an agency with sharing delay d at time t when the latest time it
/// was learned at or before t - d lies within `lifetime` of t - d (Sightings). In oracle mode
/// the picture is the truth, at once.
class Intelligence {
 public:
  /// Listens to seizure (the crew's cells), call_intercepted (the cells at both ends),
  /// handoff (radio interception, which announces call_intercepted) and member_joined (a
  /// recruit's tracks).
  explicit Intelligence(ModelContext& context);

  /// Cells an intervention hit: learned, with their ties at reveal_probability.
  void cell_hit(std::size_t cell);
  /// Cells at a raided stash: the same, from their own stream.
  void cell_raided(std::size_t cell);
  /// Whether `cell` is in the picture actionable now with a sharing delay.
  bool known(std::size_t cell, double sharing_delay) const {
    if (spec_.oracle) return true;
    check_delay(sharing_delay);
    return cell_known_[cell].actionable(ctx_.now(), sharing_delay, spec_.lifetime);
  }
  /// Switches social-media monitoring; posts are only drawn while it is on.
  void set_social_media(bool on);
  void set_radio_interception(bool on) { radio_interception_ = on; }

  /// Cells (nodes) and their ties, the true network's topology.
  const graph::Graph& cell_graph() const { return cells_; }
  /// Cells operating now.
  graph::NodeMask operating() const;
  /// The picture actionable now with a sharing delay: known cells (mask) and known ties.
  struct Picture {
    graph::NodeMask cells;
    graph::Graph ties;
    /// The picture stays the same until this time unless something new is learned (an item
    /// becomes actionable or lapses then).
    double valid_until = kNever;
  };
  Picture picture(double sharing_delay) const;
  /// The best-informed agency's delay (the smallest; 0 without agencies).
  double shortest_delay() const;
  /// Increases whenever something is learned (in oracle mode: always differs).
  std::uint64_t version() const { return version_; }

  /// The measures (kNetworkMeasureNames) of the true network, recomputed when a cell empties or
  /// is staffed again; NaN with output.network_measures = "none".
  const std::array<double, 8>& true_measures();
  /// The measures of the picture actionable now for the best-informed agency, recomputed only
  /// when the picture differs from the last one.
  const std::array<double, 8>& known_measures();

  /// The measures of the true and the known network, sampled every interval.
  static std::span<const Metric<Intelligence>> series();

 private:
  void seized_crew(CarrierKind carrier, std::size_t index);
  void intercepted(std::size_t route, std::size_t organisation);
  /// Whether a radio hand-off is intercepted (radio interception on).
  bool radio_handoff();
  void recruited(std::size_t cell);
  void learn_cell_only(std::size_t cell);
  void learn_tie(std::size_t tie);
  void learn(Sightings& item);
  /// Sightings answer delays up to max_delay_ only: a longer one is a bug.
  void check_delay(double sharing_delay) const;
  /// Learns `cell`, and each of its ties with `tie_probability` (drawn from `rng` below 1).
  void learn_cell(std::size_t cell, double tie_probability, LazyStream& rng);
  void on_posts(Simulation& sim, const Event& event);
  void on_informant(Simulation& sim, const Event& event);
  void schedule_posts();

  ModelContext& ctx_;
  const IntelligenceSpec& spec_;
  std::vector<graph::Tie> ties_;  // the true ties, each once (filled while cells_ is built)
  graph::Graph cells_;
  std::vector<std::vector<std::size_t>> ties_of_;  // per cell: indices into ties_
  // The longest sharing delay any agency can have (at the start or set by an intervention).
  double max_delay_;
  std::vector<Sightings> cell_known_;
  std::vector<Sightings> tie_known_;
  std::vector<std::size_t> learned_cells_;  // every cell ever learned, so pictures skip the rest
  std::vector<std::size_t> learned_ties_;
  bool social_media_;
  bool posts_scheduled_ = false;
  std::uint64_t version_ = 0;
  bool radio_interception_;
  // One stream per purpose, so that switching one source of intelligence on or off never
  // changes what another reveals.
  LazyStream seizure_reveal_rng_;       // ties of a seized crew's cells
  LazyStream intervention_reveal_rng_;  // ties of the cells an intervention hit
  LazyStream raid_reveal_rng_;          // ties of the cells at a raided stash
  LazyStream leak_location_rng_;        // whether an intercepted call locates the cells
  LazyStream interception_rng_;         // whether a radio hand-off is intercepted
  LazyStream posts_rng_;                // social-media posts: when, and whose
  LazyStream exposure_rng_;             // whether a recruit's tracks locate its cell
  LazyStream informant_rng_;            // informants: when, and which cell
  HandlerId posts_{};
  HandlerId informant_{};
  // The last measures and what they were computed from.
  std::uint64_t true_version_ = UINT64_MAX;
  std::array<double, 8> true_measures_{};
  std::uint64_t known_version_ = UINT64_MAX;  // when the last picture was taken, and until when
  double known_delay_ = -1.0;                 // it holds
  double known_valid_until_ = -kNever;
  std::uint64_t known_checked_at_ = UINT64_MAX;  // events handled when last checked
  graph::NodeMask known_cells_;
  std::vector<graph::Tie> known_ties_;
  std::array<double, 8> known_measures_{};
};

}  // namespace interdict::model
