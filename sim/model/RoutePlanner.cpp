// RoutePlanner: learned perceived risk and least generalised-cost paths.
#include "model/RoutePlanner.hpp"

#include <algorithm>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <stdexcept>

namespace interdict::model {

RoutePlanner::RoutePlanner(ModelContext& context, const Market& market, const Command& command)
    : ctx_(context),
      market_(market),
      command_(command),
      network_(context.spec().places, context.spec().routes),
      probe_rng_(context.streams, "routing/probing") {
  ctx_.signals.leg_ended.connect([this](std::size_t organisation, std::size_t route, bool seized) {
    learn(organisation, route, seized);
  });
  const ModelSpec& spec = ctx_.spec();
  source_places_.assign(spec.organisations.size(),
                        std::vector<std::vector<std::size_t>>(spec.markets.size()));
  trees_.assign(spec.organisations.size(), std::vector<TreeState>(spec.markets.size()));
  probe_trees_ = trees_;
  for (auto& trees : probe_trees_)
    for (TreeState& tree : trees)
      tree.watched = false;
  learned_at_.resize(spec.organisations.size());
  learned_routes_.resize(spec.organisations.size());
  risk_log_.resize(spec.organisations.size());
  for (std::size_t o = 0; o < spec.organisations.size(); ++o)
    if (spec.organisations[o].forgetting_rate > 0.0)
      learned_at_[o].assign(spec.routes.size(), -kNever);
  probe_path_.assign(spec.sources.size(), kNoPath);
  source_path_.assign(spec.sources.size(), kNoPath);
  source_planned_at_.assign(spec.sources.size(), -kNever);
  markets_of_.resize(spec.organisations.size());
  for (const SourceSpec& source : spec.sources) {
    if (source.organisation == kNone) continue;
    source_places_[source.organisation][source.market].push_back(source.place);
    auto& markets = markets_of_[source.organisation];
    if (std::find(markets.begin(), markets.end(), source.market) == markets.end())
      markets.push_back(source.market);
  }
  for (const RouteSpec& route : spec.routes) {
    route_from_.push_back(static_cast<std::uint32_t>(route.from));
    route_to_.push_back(static_cast<std::uint32_t>(route.to));
    route_at_sea_.push_back(route.mode == RouteMode::sea ? 1 : 0);
    route_days_.push_back(route.mean_days);
    route_km_.push_back(route.length_km);
  }
  check_reachable();
  for (std::size_t s = 0; s < spec.sources.size(); ++s) {
    // Organisations plan their own paths: a fixed path is only searched for the others.
    std::vector<std::size_t> path;
    if (spec.sources[s].organisation == kNone)
      path = *network_.fastest_path(spec.sources[s].place,
                                    spec.markets.at(spec.sources[s].market).place);
    ctx_.world.paths.push_back(std::move(path));
    fixed_paths_.push_back(static_cast<std::uint32_t>(ctx_.world.paths.size() - 1));
  }
}

void RoutePlanner::check_reachable() {
  const ModelSpec& spec = ctx_.spec();
  // One search back from each market, by mean travel time, serves all its sources.
  std::vector<std::vector<std::size_t>> sources_of(spec.markets.size());
  for (std::size_t s = 0; s < spec.sources.size(); ++s)
    sources_of.at(spec.sources[s].market).push_back(s);
  std::vector<std::size_t> places;
  for (std::size_t m = 0; m < spec.markets.size(); ++m) {
    if (sources_of[m].empty()) continue;
    places.clear();
    for (std::size_t s : sources_of[m])
      places.push_back(spec.sources[s].place);
    const std::size_t market = spec.markets[m].place;
    const auto next = network_.least_cost_tree_to(market, route_days_, places);
    for (std::size_t s : sources_of[m])
      if (spec.sources[s].place != market && next[spec.sources[s].place] == kNone)
        throw std::logic_error("source '" + spec.sources[s].id + "' cannot reach its market");
  }
}

std::uint32_t RoutePlanner::path_for(std::size_t source) {
  const ModelSpec& spec = ctx_.spec();
  const SourceSpec& src = spec.sources[source];
  const OrganisationRuntime& org = ctx_.world.organisations[src.organisation];
  const OrganisationSpec& params = spec.organisations[src.organisation];
  if (params.probing > 0.0 && boost::random::uniform_01<double>()(probe_rng_) < params.probing)
    return probe_path(source);
  const double now = ctx_.now();
  std::uint32_t& path_index = source_path_[source];
  double& planned_at = source_planned_at_[source];
  if (now - planned_at < params.replan_interval && path_index != kNoPath) return path_index;
  TreeState& tree = trees_[src.organisation][src.market];
  const bool due = now - tree.built_at >= params.replan_interval;
  if (due && !tree.stale && params.forgetting_rate > 0.0 && faded(tree, src.organisation, now))
    tree.stale = true;
  const bool stale = tree.stale || tree.epoch != org.carrier_changes.end();
  // Without command nobody re-plans: the paths planned before stand (stale routes).
  if (tree.paths.next.empty() || (stale && due && !command_.frozen(src.organisation)))
    build_tree(tree, src.organisation, src.market, params.risk_aversion);
  // The tree has not changed since this source's last plan: its path still stands.
  if (path_index != kNoPath && tree.built_at <= planned_at) {
    planned_at = now;
    return path_index;
  }
  planned_at = now;
  path_index = follow(tree, source, path_index);
  return path_index;
}

std::uint32_t RoutePlanner::probe_path(std::size_t source) {
  const SourceSpec& src = ctx_.spec().sources[source];
  TreeState& tree = probe_trees_[src.organisation][src.market];
  // Risk-neutral weights change only when carriers do.
  if (tree.paths.next.empty() ||
      tree.epoch != ctx_.world.organisations[src.organisation].carrier_changes.end())
    build_tree(tree, src.organisation, src.market, 0.0);
  probe_path_[source] = follow(tree, source, probe_path_[source]);
  return probe_path_[source];
}

void RoutePlanner::build_tree(TreeState& tree, std::size_t o, std::size_t market, double aversion) {
  const ModelSpec& spec = ctx_.spec();
  const OrganisationRuntime& org = ctx_.world.organisations[o];
  const double now = ctx_.now();
  const double price = std::max(market_.price(market), 1.0);
  const double per_km = spec.organisations[o].cost_per_kg_km / price;
  const std::size_t place = spec.markets[market].place;
  const auto& needed = source_places_[o][market];
  if (!tree.weights.empty() && tree.paths.updatable && per_km == tree.per_km &&
      pending_changes(tree, o) < spec.routes.size() / 4) {
    reweigh_changed(tree, o, aversion, now);
    if (!network_.update_tree(tree.weights, changes_, tree.paths))
      network_.build_tree(place, tree.weights, needed, tree.paths);
  } else {
    const std::size_t n = spec.routes.size();
    tree.weights.resize(n);
    if (tree.watched) tree.planned_risk_cost.resize(n);
    for (std::size_t r = 0; r < n; ++r)
      tree.weights[r] = weigh(tree, o, r, aversion, per_km, now);
    network_.build_tree(place, tree.weights, needed, tree.paths);
  }
  tree.per_km = per_km;
  tree.risk_seen = risk_log_[o].end();
  tree.built_at = now;
  tree.epoch = org.carrier_changes.end();
  tree.stale = false;
  if (tree.watched) mark_paths(tree, o, market);
  trim_logs(o);
}

std::size_t RoutePlanner::pending_changes(const TreeState& tree, std::size_t o) const {
  const OrganisationRuntime& org = ctx_.world.organisations[o];
  const std::size_t risk = ctx_.spec().organisations[o].forgetting_rate > 0.0
                               ? learned_routes_[o].size()
                               : risk_log_[o].end() - tree.risk_seen;
  return risk + 8 * (org.carrier_changes.end() - tree.epoch);  // a few routes a place
}

void RoutePlanner::trim_logs(std::size_t o) {
  OrganisationRuntime& org = ctx_.world.organisations[o];
  std::size_t risk_read = risk_log_[o].end();
  std::size_t carriers_read = org.carrier_changes.end();
  for (const auto* trees : {&trees_[o], &probe_trees_[o]})
    for (const TreeState& tree : *trees)
      if (!tree.weights.empty()) {  // built: it reads the logs from where it was built
        risk_read = std::min(risk_read, tree.risk_seen);
        carriers_read = std::min(carriers_read, tree.epoch);
      }
  risk_log_[o].drop_before(risk_read);
  org.carrier_changes.drop_before(carriers_read);
}

double RoutePlanner::weigh(TreeState& tree, std::size_t o, std::size_t r, double aversion,
                           double per_km, double now) {
  const OrganisationRuntime& org = ctx_.world.organisations[o];
  const OrganisationSpec& params = ctx_.spec().organisations[o];
  // What was learned has faded since.
  const bool faded = params.forgetting_rate > 0.0 && learned_at_[o][r] != -kNever;
  const double cost = faded ? risk_cost(risk_now(o, r, now)) : org.risk_cost[r];
  if (tree.watched) tree.planned_risk_cost[r] = cost;
  const bool carried = route_at_sea_[r]
                           ? (org.fleet_at[route_from_[r]] > 0 || org.fleet_at[route_to_[r]] > 0)
                           : org.staffed_cells_at[route_from_[r]] > 0;
  // Unusable without a carrier.
  return carried ? aversion * cost + params.time_value * route_days_[r] + per_km * route_km_[r]
                 : kNever;
}

void RoutePlanner::reweigh_changed(TreeState& tree, std::size_t o, double aversion, double now) {
  const OrganisationRuntime& org = ctx_.world.organisations[o];
  changes_.clear();
  const auto reweigh = [&](std::size_t r) {
    const double weight = weigh(tree, o, r, aversion, tree.per_km, now);
    if (weight == tree.weights[r]) return;
    changes_.push_back({r, tree.weights[r]});
    tree.weights[r] = weight;
  };
  // Risk: with forgetting, every route learned about drifts; otherwise those learned about since.
  if (ctx_.spec().organisations[o].forgetting_rate > 0.0) {
    for (std::size_t r : learned_routes_[o])
      reweigh(r);
  } else {
    for (std::size_t i = tree.risk_seen; i < risk_log_[o].end(); ++i)
      reweigh(risk_log_[o].at(i));
  }
  // Carriers: routes at the places that gained their first or lost their last.
  for (std::size_t i = tree.epoch; i < org.carrier_changes.end(); ++i) {
    const std::size_t place = org.carrier_changes.at(i);
    for (std::size_t r : network_.routes_from(place))
      reweigh(r);
    for (std::size_t r : network_.routes_into(place))
      reweigh(r);
  }
}

bool RoutePlanner::moves_paths(const TreeState& tree, std::size_t route, double cost) {
  const double change = cost - tree.planned_risk_cost[route];
  if (std::abs(change) <= kReplanThreshold) return false;
  // Dearer on a path in use, or cheaper off them: the best paths may have changed.
  return !tree.complete || (change > 0) == (tree.on_path[route] != 0);
}

bool RoutePlanner::faded(const TreeState& tree, std::size_t o, double now) const {
  if (tree.planned_risk_cost.empty()) return false;
  for (std::size_t r : learned_routes_[o])
    if (moves_paths(tree, r, risk_cost(risk_now(o, r, now)))) return true;
  return false;
}

std::uint32_t RoutePlanner::follow(const TreeState& tree, std::size_t source,
                                   std::uint32_t previous) {
  const ModelSpec& spec = ctx_.spec();
  const SourceSpec& src = spec.sources[source];
  std::vector<std::size_t> path;
  for (std::size_t place = src.place; place != spec.markets[src.market].place;) {
    const std::size_t r = tree.paths.next[place];
    if (r == kNone || path.size() > spec.routes.size()) return kNoPath;
    path.push_back(r);
    place = spec.routes[r].to;
  }
  return store(std::move(path), previous);
}

void RoutePlanner::mark_paths(TreeState& tree, std::size_t organisation, std::size_t market) {
  const ModelSpec& spec = ctx_.spec();
  const std::vector<std::size_t>& next = tree.paths.next;
  tree.on_path.assign(spec.routes.size(), 0);
  tree.complete = true;
  for (std::size_t place : source_places_[organisation][market]) {
    for (std::size_t steps = 0; place != spec.markets[market].place; ++steps) {
      const std::size_t r = next[place];
      if (r == kNone || steps > spec.routes.size()) {
        tree.complete = false;
        break;
      }
      tree.on_path[r] = 1;
      place = spec.routes[r].to;
    }
  }
}

double RoutePlanner::risk_cost(double risk) {
  return -std::log1p(-std::min(risk, 0.999));
}

std::uint32_t RoutePlanner::store(std::vector<std::size_t> path, std::uint32_t previous) {
  auto& paths = ctx_.world.paths;
  if (previous != kNoPath && paths[previous] == path) return previous;
  paths.push_back(std::move(path));
  return static_cast<std::uint32_t>(paths.size() - 1);
}

double RoutePlanner::risk_now(std::size_t o, std::size_t route, double now) const {
  const OrganisationSpec& params = ctx_.spec().organisations[o];
  const double risk = ctx_.world.organisations[o].perceived_risk[route];
  if (params.forgetting_rate <= 0.0) return risk;
  const double since = now - learned_at_[o][route];
  return params.initial_risk +
         (risk - params.initial_risk) * std::exp(-params.forgetting_rate * since);
}

void RoutePlanner::learn(std::size_t organisation, std::size_t route, bool seized) {
  const OrganisationSpec& params = ctx_.spec().organisations[organisation];
  const double alpha = params.learning_rate;
  OrganisationRuntime& org = ctx_.world.organisations[organisation];
  double& risk = org.perceived_risk[route];
  if (params.forgetting_rate > 0.0) {
    const double now = ctx_.now();
    risk = risk_now(organisation, route, now);
    if (learned_at_[organisation][route] == -kNever) learned_routes_[organisation].push_back(route);
    learned_at_[organisation][route] = now;
  }
  risk += alpha * ((seized ? 1.0 : 0.0) - risk);
  const double cost = risk_cost(risk);
  if (params.forgetting_rate <= 0.0 && cost != org.risk_cost[route])  // trees reweigh it
    risk_log_[organisation].push(static_cast<std::uint32_t>(route));
  org.risk_cost[route] = cost;
  for (std::size_t market : markets_of_[organisation]) {
    TreeState& tree = trees_[organisation][market];
    if (tree.stale || tree.planned_risk_cost.empty()) continue;
    if (moves_paths(tree, route, org.risk_cost[route])) tree.stale = true;
  }
}

}  // namespace interdict::model
