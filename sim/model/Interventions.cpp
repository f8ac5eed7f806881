// Interventions: triggers, target selection, actions and their log records.
#include "model/Interventions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/NetworkMeasures.hpp"

namespace interdict::model {

namespace {

/// Conditions are checked after the sample of the same time (Priority::late), as they were when
/// samples checked them, and before the end of the run (Priority::last).
constexpr auto kAfterSamples = static_cast<Priority>(static_cast<int>(Priority::late) + 1);

}  // namespace

Interventions::Interventions(ModelContext& context, Corruption& corruption, Recovery& recovery,
                             Transport& transport, Intelligence& intelligence)
    : ctx_(context),
      intelligence_(intelligence),
      targeting_rng_(context.streams, "interventions/targeting"),
      arrests_rng_(context.streams, "interventions/arrests"),
      tools_{context, corruption, recovery, transport, intelligence, targeting_rng_, arrests_rng_} {
  fire_ = ctx_.sim.add_handler<&Interventions::on_fire>("intervention", *this);
  const auto& all = ctx_.spec().interventions;
  followers_.resize(all.size());
  condition_held_.assign(all.size(), 0);
  for (std::uint32_t k = 0; k < all.size(); ++k) {
    const InterventionSpec& i = all[k];
    if (i.trigger == TriggerKind::after) followers_[i.after].push_back(k);
    const bool timed = i.trigger == TriggerKind::at || i.trigger == TriggerKind::every;
    if (timed && i.at_day <= ctx_.spec().duration_days && i.at_day <= i.until_day)
      ctx_.sim.schedule(SimTime::days(i.at_day), fire_, k, 0, Priority::early);
  }
  const bool conditions = std::any_of(all.begin(), all.end(), [](const InterventionSpec& i) {
    return i.trigger == TriggerKind::when;
  });
  check_ = ctx_.sim.add_handler<&Interventions::on_check>("condition_check", *this);
  if (conditions) ctx_.schedule_tick(check_, 0, ctx_.spec().check_interval_days, kAfterSamples);
  ctx_.recorder.table(intervention_log({}));  // a run in which none fires still has the log
}

void Interventions::on_check(Simulation& sim, const Event& event) {
  const auto& all = ctx_.spec().interventions;
  for (std::uint32_t k = 0; k < all.size(); ++k) {
    const InterventionSpec& i = all[k];
    if (i.trigger != TriggerKind::when) continue;
    const double v = ctx_.series->read(i.metric);
    const bool holds = i.above ? v > i.threshold : v < i.threshold;
    // Fires when the condition starts to hold (crossing), not at every check while it does.
    if (holds && !condition_held_[k]) sim.schedule_in(SimTime::zero(), fire_, k);
    condition_held_[k] = holds ? 1 : 0;
  }
  ctx_.schedule_tick(check_, event.payload + 1, ctx_.spec().check_interval_days, kAfterSamples);
}

double Interventions::budget_left(const InterventionSpec& action) const {
  if (action.agency == kNone) return kNever;
  return ctx_.spec().agencies[action.agency].budget - ctx_.world.agencies[action.agency].spent;
}

void Interventions::measure_networks(InterventionRecord& record, const char* suffix) const {
  const auto truth = ctx_.measurer.measure(intelligence_.cell_graph(), intelligence_.operating());
  const Intelligence::Picture known = intelligence_.picture(intelligence_.shortest_delay());
  const auto seen = ctx_.measurer.measure(known.ties, known.cells);
  for (std::size_t k = 0; k < kNetworkMeasureNames.size(); ++k)
    record.network.emplace_back("true_" + std::string(kNetworkMeasureNames[k]) + suffix, truth[k]);
  for (std::size_t k = 0; k < kNetworkMeasureNames.size(); ++k)
    record.network.emplace_back("known_" + std::string(kNetworkMeasureNames[k]) + suffix, seen[k]);
}

void Interventions::on_fire(Simulation& sim, const Event& event) {
  const InterventionSpec& intervention = ctx_.spec().interventions[event.target];
  World& w = ctx_.world;
  const double now = sim.now().in_days();
  schedule_next(event.target, now);

  const std::string name(action_name(intervention.action));
  InterventionRecord record{now, intervention.id, name, "", 0.0, 0.0};
  measure_networks(record, "_before");
  const double left = budget_left(intervention);
  if (intervention.cost > left) {
    record.action = name + " (not affordable)";
    record.targets = "budget left " + std::to_string(static_cast<long long>(left)) + " USD";
    measure_networks(record, "_after");
    ctx_.recorder.table(intervention_log({&record, 1}));
    return;
  }
  const std::int64_t arrests_before = w.totals.arrests;
  const int arrests = std::visit(
      [](const auto& action) {
        if constexpr (requires { action.arrests; }) return action.arrests;
        return 0;
      },
      intervention.action);
  tools_.intervention = event.target;
  tools_.agency = intervention.agency;
  tools_.affordable_arrests = arrests;
  if (intervention.cost_per_arrest > 0.0)
    tools_.affordable_arrests = static_cast<int>(std::min<double>(
        arrests, std::floor((left - intervention.cost) / intervention.cost_per_arrest)));
  record.targets =
      std::visit([&](const auto& action) { return apply(action, tools_); }, intervention.action);

  record.arrests = static_cast<double>(w.totals.arrests - arrests_before);
  record.cost = intervention.cost + intervention.cost_per_arrest * record.arrests;
  if (intervention.agency != kNone) w.agencies[intervention.agency].spent += record.cost;
  w.totals.enforcement_spent += record.cost;
  measure_networks(record, "_after");
  ctx_.recorder.table(intervention_log({&record, 1}));
}

void Interventions::schedule_next(std::uint32_t k, double now) {
  const ModelSpec& spec = ctx_.spec();
  const InterventionSpec& intervention = spec.interventions[k];
  // The next firing of a periodic intervention, and those that follow this one.
  if (intervention.trigger == TriggerKind::every) {
    const double next = now + intervention.every_days;
    if (next <= spec.duration_days && next <= intervention.until_day)
      ctx_.sim.schedule(SimTime::days(next), fire_, k, 0, Priority::early);
  }
  for (std::size_t f : followers_[k]) {
    const double at = now + spec.interventions[f].delay_days;
    if (at <= spec.duration_days)
      ctx_.sim.schedule(SimTime::days(at), fire_, static_cast<std::uint32_t>(f), 0,
                        Priority::early);
  }
}

}  // namespace interdict::model
