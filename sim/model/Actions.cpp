// Actions: target selection and the five actions, each applied by one function.
#include "model/Actions.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "graph/Targeting.hpp"

namespace interdict::model {

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

void append(std::string& text, const std::string& part) {
  if (part.empty()) return;
  text += (text.empty() ? "" : "; ") + part;
}

}  // namespace

std::vector<std::size_t> ActionTools::select_cells(const TargetSelection& select, int role,
                                                   std::size_t count) {
  const ModelSpec& spec = ctx.spec();
  const World& w = ctx.world;
  const bool truth = select.true_network || spec.intelligence.oracle;
  graph::NodeMask present;
  graph::Graph known;
  if (truth) {
    present = intelligence.operating();
  } else {
    const double delay = agency == kNone ? 0.0 : w.agencies[agency].sharing_delay;
    Intelligence::Picture p = intelligence.picture(delay);
    present = std::move(p.cells);
    known = std::move(p.ties);
  }
  const graph::Graph& g = truth ? intelligence.cell_graph() : known;
  graph::NodeMask eligible(spec.cells.size(), 0);
  for (std::size_t c = 0; c < spec.cells.size(); ++c) {
    if (!present[c]) continue;
    if (!select.region.empty() && spec.places[spec.cells[c].place].region != select.region)
      continue;
    if (role >= 0 && w.cells[c].members[static_cast<std::size_t>(role)] == 0) continue;
    eligible[c] = 1;
  }
  return rank(select, g, present, eligible, count);
}

std::vector<std::size_t> ActionTools::rank(const TargetSelection& select, const graph::Graph& g,
                                           const graph::NodeMask& present,
                                           const graph::NodeMask& eligible, std::size_t count) {
  if (select.strategy == kNone) {  // scenario order
    std::vector<std::size_t> out;
    for (std::size_t v = 0; v < eligible.size() && out.size() < count; ++v)
      if (eligible[v]) out.push_back(v);
    return out;
  }
  graph::TargetingOptions options;
  options.strategy = static_cast<graph::Strategy>(select.strategy);
  options.recompute = select.recompute;
  options.seed = targeting_rng();
  return graph::choose_targets(g, present, eligible, count, options);
}

std::vector<std::size_t> ActionTools::select_relays(const TargetSelection& select) {
  const ModelSpec& spec = ctx.spec();
  graph::NodeMask up(spec.relays.size(), 0);
  graph::NodeMask eligible(spec.relays.size(), 0);
  for (std::size_t r = 0; r < spec.relays.size(); ++r) {
    up[r] = ctx.world.relays[r].up ? 1 : 0;
    eligible[r] =
        up[r] &&
        (select.kind.empty() || name_of(spec.relays[r].kind, kRelayKindNames) == select.kind) &&
        (select.region.empty() || spec.places[spec.relays[r].place].region == select.region);
  }
  const std::size_t count =
      select.count < 0 ? spec.relays.size() : static_cast<std::size_t>(select.count);
  return rank(select, ctx.comms.link_graph(), up, eligible, count);
}

std::vector<std::size_t> ActionTools::select_vessels(const TargetSelection& select) {
  const ModelSpec& spec = ctx.spec();
  graph::NodeMask eligible(spec.vessels.size(), 0);
  for (std::size_t v = 0; v < spec.vessels.size(); ++v)
    eligible[v] =
        ctx.world.vessels[v].state != VesselState::seized &&
        (select.kind.empty() || name_of(spec.vessels[v].type, kVesselTypeNames) == select.kind) &&
        (select.region.empty() || spec.places[spec.vessels[v].home].region == select.region);
  // Boats have no network: the only strategy the scenario accepts for them is random.
  const graph::Graph unconnected(spec.vessels.size(), {}, false);
  const std::size_t count =
      select.count < 0 ? spec.vessels.size() : static_cast<std::size_t>(select.count);
  return rank(select, unconnected, eligible, eligible, count);
}

std::string apply(const DismantleAction& action, ActionTools& tools) {
  const ModelSpec& spec = tools.ctx.spec();
  World& w = tools.ctx.world;
  std::vector<std::size_t> relays = action.relays;
  std::vector<std::size_t> vessels = action.vessels;
  std::vector<std::size_t> cells = action.cells;
  const TargetSelection& select = action.select;
  if (select.target == TargetKind::relays) relays = tools.select_relays(select);
  if (select.target == TargetKind::vessels) vessels = tools.select_vessels(select);
  if (select.target == TargetKind::cells) {
    int role = -1;
    for (std::size_t r = 0; r < kRoleCount; ++r)
      if (kRoleNames[r] == select.kind) role = static_cast<int>(r);
    cells = tools.select_cells(
        select, role,
        select.count < 0 ? spec.cells.size() : static_cast<std::size_t>(select.count));
  }
  for (std::size_t r : relays)
    tools.recovery.relay_destroyed(r);
  for (std::size_t v : vessels) {
    if (w.vessels[v].shipment != kNoShipment)
      tools.transport.seize_now(w.vessels[v].shipment, SeizedBy::intervention, tools.intervention);
    tools.recovery.vessel_seized(v);
  }
  for (std::size_t c : cells) {
    for (std::size_t role = 0; role < kRoleCount; ++role)
      while (w.cells[c].members[role] > 0)
        tools.recovery.arrest(c, static_cast<Role>(role));
    tools.intelligence.cell_hit(c);
  }
  // Further arrests among the users of what was hit (everyone's, when nothing was).
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
  tools.recovery.arrest_among(users, std::max(tools.affordable_arrests, 0), tools.arrests_rng);
  std::string targets;
  append(targets, listing("relays", relays, spec.relays));
  append(targets, listing("vessels", vessels, spec.vessels));
  append(targets, listing("cells", cells, spec.cells));
  return targets;
}

std::string apply(const ArrestAction& action, ActionTools& tools) {
  const ModelSpec& spec = tools.ctx.spec();
  const World& w = tools.ctx.world;
  // One member per cell in rank order, round after round, until enough are arrested.
  std::vector<std::size_t> ranked =
      action.cells.empty() ? tools.select_cells(action.select, action.role, spec.cells.size())
                           : action.cells;
  if (action.select.count >= 0 && ranked.size() > static_cast<std::size_t>(action.select.count))
    ranked.resize(static_cast<std::size_t>(action.select.count));
  std::vector<std::size_t> hit;
  int made = 0;
  for (bool progress = true; progress && made < tools.affordable_arrests;) {
    progress = false;
    for (std::size_t c : ranked) {
      if (made >= tools.affordable_arrests) break;
      int role = action.role;
      if (role < 0)
        for (std::size_t r : {1, 0, 2, 3})  // brokers first: they connect the cells
          if (role < 0 && w.cells[c].members[r] > 0) role = static_cast<int>(r);
      if (role < 0 || w.cells[c].members[static_cast<std::size_t>(role)] == 0) continue;
      tools.recovery.arrest(c, static_cast<Role>(role));
      ++made;
      progress = true;
      if (std::find(hit.begin(), hit.end(), c) == hit.end()) hit.push_back(c);
    }
  }
  for (std::size_t c : hit)
    tools.intelligence.cell_hit(c);
  return listing("cells", hit, spec.cells);
}

std::string apply(const PatrolAction& action, ActionTools& tools) {
  const ModelSpec& spec = tools.ctx.spec();
  World& w = tools.ctx.world;
  PatrolRuntime& p = w.patrols[action.patrol];
  if (action.intensity >= 0.0) p.intensity = action.intensity;
  if (action.detection_probability >= 0.0) p.detection_probability = action.detection_probability;
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
  return text.str();
}

std::string apply(const SharingAction& action, ActionTools& tools) {
  World& w = tools.ctx.world;
  for (std::size_t a = 0; a < w.agencies.size(); ++a)
    if (tools.agency == kNone || tools.agency == a)
      w.agencies[a].sharing_delay = action.sharing_delay;
  std::ostringstream text;
  text << (tools.agency == kNone ? "all agencies" : tools.ctx.spec().agencies[tools.agency].id)
       << ": sharing delay " << action.sharing_delay << " days";
  return text.str();
}

std::string apply(const MonitoringAction& action, ActionTools& tools) {
  std::string targets;
  if (action.social_media >= 0) {
    tools.intelligence.set_social_media(action.social_media == 1);
    append(targets, std::string("social media ") + (action.social_media ? "on" : "off"));
  }
  if (action.radio_interception >= 0) {
    tools.intelligence.set_radio_interception(action.radio_interception == 1);
    append(targets,
           std::string("radio interception ") + (action.radio_interception ? "on" : "off"));
  }
  return targets;
}

std::string apply(const PurgeAction& action, ActionTools& tools) {
  const auto& bribes = tools.ctx.spec().bribes;
  std::vector<std::size_t> all(bribes.size());
  for (std::size_t b = 0; b < all.size(); ++b)
    all[b] = b;
  std::string targets;
  for (std::size_t b : action.bribes.empty() ? all : action.bribes) {
    tools.corruption.purge(b);
    append(targets, bribes[b].id);
  }
  return targets;
}

}  // namespace interdict::model
