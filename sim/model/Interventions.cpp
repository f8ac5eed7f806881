// Interventions: the dismantle action and its log record.
#include "model/Interventions.hpp"

#include <algorithm>
#include <sstream>

namespace interdict::model {

Interventions::Interventions(ModelContext& context, Recovery& recovery, Transport& transport)
    : ctx_(context),
      recovery_(recovery),
      transport_(transport),
      rng_(context.streams.stream("interventions")) {
  fire_ = ctx_.sim.add_handler<&Interventions::on_fire>("intervention", *this);
  const auto& all = ctx_.spec().interventions;
  for (std::uint32_t k = 0; k < all.size(); ++k)
    if (all[k].at_day <= ctx_.spec().duration_days)
      ctx_.sim.schedule(SimTime::days(all[k].at_day), fire_, k, 0, Priority::early);
}

void Interventions::on_fire(Simulation& sim, const Event& event) {
  const InterventionSpec& action = ctx_.spec().interventions[event.target];
  const ModelSpec& spec = ctx_.spec();
  World& w = ctx_.world;
  const std::int64_t arrests_before = w.totals.arrests;
  std::ostringstream targets;

  for (std::size_t r : action.relays)
    recovery_.relay_destroyed(r);
  for (std::size_t v : action.vessels) {
    if (w.vessels[v].shipment != kNoShipment) transport_.seize_now(w.vessels[v].shipment);
    recovery_.vessel_seized(v);
  }
  for (std::size_t c : action.cells)
    for (std::size_t role = 0; role < kRoleCount; ++role)
      while (w.cells[c].members[role] > 0)
        recovery_.arrest(c, static_cast<Role>(role));

  std::vector<std::size_t> users(action.cells);
  for (std::size_t r : action.relays)
    for (std::size_t place : spec.relays[r].covers)
      for (std::size_t c = 0; c < spec.cells.size(); ++c)
        if (spec.cells[c].place == place) users.push_back(c);
  if (action.relays.empty() && action.cells.empty() && action.vessels.empty())
    for (std::size_t c = 0; c < spec.cells.size(); ++c)
      users.push_back(c);
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  recovery_.arrest_among(users, action.arrests, rng_);

  if (action.agency != kNone) w.agencies[action.agency].spent += action.cost;
  w.totals.enforcement_spent += action.cost;

  const auto list = [&](const char* label, const std::vector<std::size_t>& items,
                        const auto& specs) {
    if (items.empty()) return;
    targets << (targets.tellp() > 0 ? "; " : "") << label << ": ";
    for (std::size_t i = 0; i < items.size(); ++i)
      targets << (i ? ", " : "") << specs[items[i]].id;
  };
  list("relays", action.relays, spec.relays);
  list("vessels", action.vessels, spec.vessels);
  list("cells", action.cells, spec.cells);
  ctx_.recorder.intervention(
      InterventionRecord{sim.now().in_days(), action.id, "dismantle", targets.str(),
                         static_cast<double>(w.totals.arrests - arrests_before), action.cost});
}

}  // namespace interdict::model
