// Interventions: enforcement actions with triggers, targeting and budgets.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "graph/Graph.hpp"
#include "model/Intelligence.hpp"
#include "model/ModelContext.hpp"
#include "model/Recovery.hpp"
#include "model/Transport.hpp"

namespace interdict::model {

/// Mechanism 10 (docs/strategies.md). Each intervention has a trigger (at a time; every
/// interval; when a metric of the series table rises above or falls below a threshold, checked
/// every simulation.check_interval, after the sample of the same time, on a schedule of its own
/// so that output.sample_interval never changes a run; after another intervention, with a
/// delay) and an action:
/// - dismantle: destroy relays, seize vessels (with loads aboard), arrest whole cells, listed
///   by id or selected by kind, region and a targeting strategy, plus further arrests among
///   the users of the targets;
/// - arrest: arrest members (of a role) in the cells a strategy ranks highest on the network
///   enforcement knows (or the true one), one per cell in turn;
/// - patrol: change a patrol's intensity or detection, move it, or re-allocate it to the route
///   with most seizures so far; sharing: change agencies' sharing delay; monitoring: switch
///   social-media monitoring or radio interception on or off.
/// An agency's budget caps costs: an action it cannot afford is skipped, arrests stop when
/// the money does. Every firing is logged through the Recorder with what it hit and cost, and
/// the measures of the true and the known network (as in the time series) just before and after.
class Interventions {
 public:
  Interventions(ModelContext& context, Recovery& recovery, Transport& transport,
                Intelligence& intelligence);

 private:
  void on_fire(Simulation& sim, const Event& event);
  /// Checks the `when` conditions against the metrics now, then schedules the next check.
  void on_check(Simulation& sim, const Event& event);
  std::vector<std::size_t> select_cells(const InterventionSpec& action, int role,
                                        std::size_t count);
  std::vector<std::size_t> select_relays(const InterventionSpec& action);
  std::vector<std::size_t> select_vessels(const InterventionSpec& action);
  /// Up to `count` of the `eligible` nodes of `g`: ranked by the intervention's strategy on the
  /// `present` nodes, or in scenario order without one.
  std::vector<std::size_t> rank(const InterventionSpec& action, const graph::Graph& g,
                                const graph::NodeMask& present, const graph::NodeMask& eligible,
                                std::size_t count);
  /// Budget the agency has left (infinite without an agency or a budget).
  double budget_left(const InterventionSpec& action) const;
  /// Appends the true and known networks' measures, named with `suffix` (_before, _after).
  void measure_networks(InterventionRecord& record, const char* suffix) const;

  ModelContext& ctx_;
  Recovery& recovery_;
  Transport& transport_;
  Intelligence& intelligence_;
  RandomEngine rng_;
  HandlerId fire_{};
  std::vector<std::vector<std::size_t>> followers_;  // per intervention: those `after` it
  std::vector<char> condition_held_;                 // per `when` intervention, last check
  HandlerId check_{};
};

}  // namespace interdict::model
