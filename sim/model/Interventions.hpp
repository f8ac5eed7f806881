// Interventions: enforcement actions with triggers, targeting and budgets.
#pragma once

#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "graph/Graph.hpp"
#include "model/Actions.hpp"
#include "model/Intelligence.hpp"
#include "model/InterventionLog.hpp"
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
  /// What actions do, and aim at.
  using Needs = std::tuple<Corruption, Recovery, Transport, Intelligence>;
  Interventions(ModelContext& context, Corruption& corruption, Recovery& recovery,
                Transport& transport, Intelligence& intelligence);

 private:
  void on_fire(Simulation& sim, const Event& event);
  /// Checks the `when` conditions against the metrics now, then schedules the next check.
  void on_check(Simulation& sim, const Event& event);
  /// Schedules what follows firing `k` now: its next time if periodic, the `after`s.
  void schedule_next(std::uint32_t k, double now);
  /// Budget the agency has left (infinite without an agency or a budget).
  double budget_left(const InterventionSpec& action) const;
  /// Appends the true and known networks' measures, named with `suffix` (_before, _after).
  void measure_networks(InterventionRecord& record, const char* suffix) const;

  ModelContext& ctx_;
  Intelligence& intelligence_;
  LazyStream targeting_rng_;  // seeds of the strategies' random choices
  LazyStream arrests_rng_;    // who a dismantle's further arrests take
  ActionTools tools_;         // what actions use (the streams among it)
  HandlerId fire_{};
  std::vector<std::vector<std::size_t>> followers_;  // per intervention: those `after` it
  std::vector<char> condition_held_;                 // per `when` intervention, last check
  HandlerId check_{};
};

}  // namespace interdict::model
