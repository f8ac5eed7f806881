// Interventions: triggers, target selection, actions and their log records.
#include "model/Interventions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "graph/Structure.hpp"
#include "graph/Targeting.hpp"
#include "model/NetworkMeasures.hpp"

namespace interdict::model {

namespace {

/// Conditions are checked after the sample of the same time (Priority::late), as they were when
/// samples checked them, and before the end of the run (Priority::last).
constexpr auto kAfterSamples = static_cast<Priority>(static_cast<int>(Priority::late) + 1);

}  // namespace

namespace {

/// "label: a, b, c" of the named entities.
template <class Specs>
std::string listing(const char* label, const std::vector<std::size_t>& items, const Specs& specs) {
  if (items.empty()) return "";
  std::string out = std::string(label) + ": ";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + specs[items[i]].id;
  return out;
}

void append(std::string& to, const std::string& part) {
  if (part.empty()) return;
  to += (to.empty() ? "" : "; ") + part;
}

}  // namespace

Interventions::Interventions(ModelContext& context, Recovery& recovery, Transport& transport,
                             Intelligence& intelligence)
    : ctx_(context),
      recovery_(recovery),
      transport_(transport),
      intelligence_(intelligence),
      rng_(context.streams.stream("interventions")) {
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
  if (conditions) ctx_.sim.schedule(SimTime::zero(), check_, 0, 0, kAfterSamples);
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
  // Times as index * interval, so that no rounding accumulates over a long run.
  const std::uint64_t next = event.payload + 1;
  const double next_day = static_cast<double>(next) * ctx_.spec().check_interval_days;
  if (next_day <= ctx_.spec().duration_days)
    sim.schedule(SimTime::days(next_day), check_, 0, next, kAfterSamples);
}

double Interventions::budget_left(const InterventionSpec& action) const {
  if (action.agency == kNone) return kNever;
  return ctx_.spec().agencies[action.agency].budget - ctx_.world.agencies[action.agency].spent;
}

void Interventions::measure_networks(InterventionRecord& record, const char* suffix) const {
  const auto level = ctx_.spec().network_measures;
  const auto truth = network_measures(intelligence_.cell_graph(), intelligence_.operating(), level);
  const Intelligence::Picture known = intelligence_.picture(intelligence_.shortest_delay());
  const auto seen = network_measures(known.ties, known.cells, level);
  for (std::size_t k = 0; k < kNetworkMeasureNames.size(); ++k)
    record.network.emplace_back("true_" + std::string(kNetworkMeasureNames[k]) + suffix, truth[k]);
  for (std::size_t k = 0; k < kNetworkMeasureNames.size(); ++k)
    record.network.emplace_back("known_" + std::string(kNetworkMeasureNames[k]) + suffix, seen[k]);
}

std::vector<std::size_t> Interventions::select_cells(const InterventionSpec& action, int role,
                                                     std::size_t count) {
  const ModelSpec& spec = ctx_.spec();
  const World& w = ctx_.world;
  const bool truth = action.true_network || spec.intelligence.oracle;
  graph::NodeMask present;
  graph::Graph known;
  if (truth) {
    present = intelligence_.operating();
  } else {
    const double delay = action.agency == kNone ? 0.0 : w.agencies[action.agency].sharing_delay;
    Intelligence::Picture p = intelligence_.picture(delay);
    present = std::move(p.cells);
    known = std::move(p.ties);
  }
  const graph::Graph& g = truth ? intelligence_.cell_graph() : known;
  graph::NodeMask eligible(spec.cells.size(), 0);
  for (std::size_t c = 0; c < spec.cells.size(); ++c) {
    if (!present[c]) continue;
    if (!action.region.empty() && spec.places[spec.cells[c].place].region != action.region)
      continue;
    if (role >= 0 && w.cells[c].members[static_cast<std::size_t>(role)] == 0) continue;
    eligible[c] = 1;
  }
  return rank(action, g, present, eligible, count);
}

std::vector<std::size_t> Interventions::rank(const InterventionSpec& action, const graph::Graph& g,
                                             const graph::NodeMask& present,
                                             const graph::NodeMask& eligible, std::size_t count) {
  if (action.strategy == kNone) {  // scenario order
    std::vector<std::size_t> out;
    for (std::size_t v = 0; v < eligible.size() && out.size() < count; ++v)
      if (eligible[v]) out.push_back(v);
    return out;
  }
  graph::TargetingOptions options;
  options.strategy = static_cast<graph::Strategy>(action.strategy);
  options.recompute = action.recompute;
  options.seed = rng_();
  return graph::choose_targets(g, present, eligible, count, options);
}

std::vector<std::size_t> Interventions::select_relays(const InterventionSpec& action) {
  const ModelSpec& spec = ctx_.spec();
  graph::NodeMask up(spec.relays.size(), 0);
  graph::NodeMask eligible(spec.relays.size(), 0);
  for (std::size_t r = 0; r < spec.relays.size(); ++r) {
    up[r] = ctx_.world.relays[r].up ? 1 : 0;
    eligible[r] =
        up[r] &&
        (action.kind.empty() || name_of(spec.relays[r].kind, kRelayKindNames) == action.kind) &&
        (action.region.empty() || spec.places[spec.relays[r].place].region == action.region);
  }
  const std::size_t count =
      action.count < 0 ? spec.relays.size() : static_cast<std::size_t>(action.count);
  return rank(action, ctx_.comms.link_graph(), up, eligible, count);
}

std::vector<std::size_t> Interventions::select_vessels(const InterventionSpec& action) {
  const ModelSpec& spec = ctx_.spec();
  graph::NodeMask eligible(spec.vessels.size(), 0);
  for (std::size_t v = 0; v < spec.vessels.size(); ++v)
    eligible[v] =
        ctx_.world.vessels[v].state != VesselState::seized &&
        (action.kind.empty() || name_of(spec.vessels[v].type, kVesselTypeNames) == action.kind) &&
        (action.region.empty() || spec.places[spec.vessels[v].home].region == action.region);
  // Boats have no network: the only strategy the scenario accepts for them is random.
  const graph::Graph unconnected(spec.vessels.size(), {}, false);
  const std::size_t count =
      action.count < 0 ? spec.vessels.size() : static_cast<std::size_t>(action.count);
  return rank(action, unconnected, eligible, eligible, count);
}

void Interventions::on_fire(Simulation& sim, const Event& event) {
  const InterventionSpec& action = ctx_.spec().interventions[event.target];
  const ModelSpec& spec = ctx_.spec();
  World& w = ctx_.world;
  const double now = sim.now().in_days();
  // The next firing of a periodic intervention, and those that follow this one.
  if (action.trigger == TriggerKind::every) {
    const double next = now + action.every_days;
    if (next <= spec.duration_days && next <= action.until_day)
      sim.schedule(SimTime::days(next), fire_, event.target, 0, Priority::early);
  }
  for (std::size_t f : followers_[event.target]) {
    const double at = now + spec.interventions[f].delay_days;
    if (at <= spec.duration_days)
      sim.schedule(SimTime::days(at), fire_, static_cast<std::uint32_t>(f), 0, Priority::early);
  }

  const std::string name(kActionNames[static_cast<std::size_t>(action.action)]);
  InterventionRecord record{now, action.id, name, "", 0.0, 0.0};
  measure_networks(record, "_before");
  const double left = budget_left(action);
  if (action.cost > left) {
    record.action = name + " (not affordable)";
    record.targets = "budget left " + std::to_string(static_cast<long long>(left)) + " USD";
    measure_networks(record, "_after");
    ctx_.recorder.intervention(record);
    return;
  }
  const std::int64_t arrests_before = w.totals.arrests;
  std::string targets;
  int affordable_arrests = action.arrests;
  if (action.cost_per_arrest > 0.0)
    affordable_arrests = static_cast<int>(std::min<double>(
        action.arrests, std::floor((left - action.cost) / action.cost_per_arrest)));

  switch (action.action) {
    case ActionKind::dismantle: {
      std::vector<std::size_t> relays = action.relays;
      std::vector<std::size_t> vessels = action.vessels;
      std::vector<std::size_t> cells = action.cells;
      if (action.target == TargetKind::relays) relays = select_relays(action);
      if (action.target == TargetKind::vessels) vessels = select_vessels(action);
      if (action.target == TargetKind::cells) {
        int role = -1;
        for (std::size_t r = 0; r < kRoleCount; ++r)
          if (kRoleNames[r] == action.kind) role = static_cast<int>(r);
        cells = select_cells(
            action, role,
            action.count < 0 ? spec.cells.size() : static_cast<std::size_t>(action.count));
      }
      for (std::size_t r : relays)
        recovery_.relay_destroyed(r);
      for (std::size_t v : vessels) {
        if (w.vessels[v].shipment != kNoShipment) transport_.seize_now(w.vessels[v].shipment);
        recovery_.vessel_seized(v);
      }
      for (std::size_t c : cells) {
        for (std::size_t role = 0; role < kRoleCount; ++role)
          while (w.cells[c].members[role] > 0)
            recovery_.arrest(c, static_cast<Role>(role));
        intelligence_.cell_hit(c);
      }
      std::vector<std::size_t> users(cells);
      for (std::size_t r : relays)
        for (std::size_t place : spec.relays[r].covers)
          for (std::size_t c = 0; c < spec.cells.size(); ++c)
            if (spec.cells[c].place == place) users.push_back(c);
      if (relays.empty() && cells.empty() && vessels.empty())
        for (std::size_t c = 0; c < spec.cells.size(); ++c)
          users.push_back(c);
      std::sort(users.begin(), users.end());
      users.erase(std::unique(users.begin(), users.end()), users.end());
      recovery_.arrest_among(users, std::max(affordable_arrests, 0), rng_);
      append(targets, listing("relays", relays, spec.relays));
      append(targets, listing("vessels", vessels, spec.vessels));
      append(targets, listing("cells", cells, spec.cells));
      break;
    }
    case ActionKind::arrest: {
      // One member per cell in rank order, round after round, until enough are arrested.
      std::vector<std::size_t> ranked = action.cells.empty()
                                            ? select_cells(action, action.role, spec.cells.size())
                                            : action.cells;
      if (action.count >= 0 && ranked.size() > static_cast<std::size_t>(action.count))
        ranked.resize(static_cast<std::size_t>(action.count));
      std::vector<std::size_t> hit;
      int made = 0;
      for (bool progress = true; progress && made < affordable_arrests;) {
        progress = false;
        for (std::size_t c : ranked) {
          if (made >= affordable_arrests) break;
          int role = action.role;
          if (role < 0)
            for (std::size_t r : {1, 0, 2, 3})  // brokers first: they connect the cells
              if (role < 0 && w.cells[c].members[r] > 0) role = static_cast<int>(r);
          if (role < 0 || w.cells[c].members[static_cast<std::size_t>(role)] == 0) continue;
          recovery_.arrest(c, static_cast<Role>(role));
          ++made;
          progress = true;
          if (std::find(hit.begin(), hit.end(), c) == hit.end()) hit.push_back(c);
        }
      }
      for (std::size_t c : hit)
        intelligence_.cell_hit(c);
      append(targets, listing("cells", hit, spec.cells));
      break;
    }
    case ActionKind::patrol: {
      PatrolRuntime& p = w.patrols[action.patrol];
      if (action.intensity >= 0.0) p.intensity = action.intensity;
      if (action.detection_probability >= 0.0)
        p.detection_probability = action.detection_probability;
      p.intensity *= action.scale;
      p.detection_probability = std::min(1.0, p.detection_probability * action.scale);
      std::size_t route = action.route;
      if (action.reallocate) {
        const auto most = std::max_element(w.route_seizures.begin(), w.route_seizures.end());
        if (most != w.route_seizures.end() && *most > 0)
          route = static_cast<std::size_t>(most - w.route_seizures.begin());
      }
      if (route != kNone && route != p.route) w.move_patrol(action.patrol, route);
      std::ostringstream text;
      text << "patrol " << spec.patrols[action.patrol].id << " on " << spec.routes[p.route].id
           << ", intensity " << p.intensity << ", detection " << p.detection_probability;
      targets = text.str();
      break;
    }
    case ActionKind::sharing: {
      for (std::size_t a = 0; a < w.agencies.size(); ++a)
        if (action.agency == kNone || action.agency == a)
          w.agencies[a].sharing_delay = action.sharing_delay;
      std::ostringstream text;
      text << (action.agency == kNone ? "all agencies" : spec.agencies[action.agency].id)
           << ": sharing delay " << action.sharing_delay << " days";
      targets = text.str();
      break;
    }
    case ActionKind::monitoring: {
      if (action.social_media >= 0) {
        intelligence_.set_social_media(action.social_media == 1);
        append(targets, std::string("social media ") + (action.social_media ? "on" : "off"));
      }
      if (action.radio_interception >= 0) {
        intelligence_.set_radio_interception(action.radio_interception == 1);
        append(targets,
               std::string("radio interception ") + (action.radio_interception ? "on" : "off"));
      }
      break;
    }
  }

  record.arrests = static_cast<double>(w.totals.arrests - arrests_before);
  record.cost = action.cost + action.cost_per_arrest * record.arrests;
  if (action.agency != kNone) w.agencies[action.agency].spent += record.cost;
  w.totals.enforcement_spent += record.cost;
  record.targets = targets;
  measure_networks(record, "_after");
  ctx_.recorder.intervention(record);
}

}  // namespace interdict::model
