// RoutePlanner: learned perceived risk and least generalised-cost paths.
#include "model/RoutePlanner.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace interdict::model {

RoutePlanner::RoutePlanner(ModelContext& context)
    : ctx_(context), network_(context.spec().places, context.spec().routes) {
  const ModelSpec& spec = ctx_.spec();
  for (const RouteSpec& route : spec.routes) {
    route_from_.push_back(static_cast<std::uint32_t>(route.from));
    route_to_.push_back(static_cast<std::uint32_t>(route.to));
    route_at_sea_.push_back(route.mode == RouteMode::sea ? 1 : 0);
    route_days_.push_back(route.mean_days);
    route_km_.push_back(route.length_km);
  }
  for (std::size_t s = 0; s < spec.sources.size(); ++s) {
    auto path = network_.fastest_path(spec.sources[s].place, spec.markets.at(spec.sources[s].market).place);
    if (!path) throw std::logic_error("source '" + spec.sources[s].id + "' cannot reach its market");
    ctx_.world.paths.push_back(std::move(*path));
    fixed_paths_.push_back(static_cast<std::uint32_t>(ctx_.world.paths.size() - 1));
  }
}

std::uint32_t RoutePlanner::path_for(std::size_t source) {
  const ModelSpec& spec = ctx_.spec();
  const SourceSpec& src = spec.sources[source];
  OrganisationRuntime& org = ctx_.world.organisations[src.organisation];
  const OrganisationSpec& params = spec.organisations[src.organisation];
  const double now = ctx_.now();
  if (now - org.planned_at[source] < params.replan_interval && org.source_path[source] != kNoPath)
    return org.source_path[source];
  std::vector<std::size_t>& next = org.next_route[src.market];
  const bool stale = org.tree_epoch[src.market] != org.plan_epoch;
  if (next.empty() || (stale && now - org.tree_planned_at[src.market] >= params.replan_interval)) {
    const double price = std::max(spec.markets[src.market].price_per_kg, 1.0);
    const std::size_t n = spec.routes.size();
    weights_.resize(n);
    const double a = params.risk_aversion;
    const double time_value = params.time_value;
    const double per_km = params.cost_per_kg_km / price;
    for (std::size_t r = 0; r < n; ++r) {
      const bool carried = route_at_sea_[r] ? (org.fleet_at[route_from_[r]] > 0 || org.fleet_at[route_to_[r]] > 0)
                                            : org.staffed_cells_at[route_from_[r]] > 0;
      org.planned_risk_cost[r] = org.risk_cost[r];
      weights_[r] = carried ? a * org.risk_cost[r] + time_value * route_days_[r] + per_km * route_km_[r] : kNever;
    }
    next = network_.least_cost_tree_to(spec.markets[src.market].place, weights_);
    org.tree_planned_at[src.market] = now;
    org.tree_epoch[src.market] = org.plan_epoch;
  }
  // The tree has not changed since this source's last plan: its path still stands.
  if (org.source_path[source] != kNoPath && org.tree_planned_at[src.market] <= org.planned_at[source]) {
    org.planned_at[source] = now;
    return org.source_path[source];
  }
  org.planned_at[source] = now;
  std::vector<std::size_t> path;
  for (std::size_t place = src.place; place != spec.markets[src.market].place;) {
    const std::size_t r = next[place];
    if (r == kNone || path.size() > spec.routes.size()) {
      org.source_path[source] = kNoPath;
      return kNoPath;
    }
    path.push_back(r);
    place = spec.routes[r].to;
  }
  org.source_path[source] = store(std::move(path), org.source_path[source]);
  return org.source_path[source];
}

double RoutePlanner::risk_cost(double risk) { return -std::log1p(-std::min(risk, 0.999)); }

std::uint32_t RoutePlanner::store(std::vector<std::size_t> path, std::uint32_t previous) {
  auto& paths = ctx_.world.paths;
  if (previous != kNoPath && paths[previous] == path) return previous;
  paths.push_back(std::move(path));
  return static_cast<std::uint32_t>(paths.size() - 1);
}

void RoutePlanner::learn(std::size_t organisation, std::size_t route, bool seized) {
  const double alpha = ctx_.spec().organisations[organisation].learning_rate;
  OrganisationRuntime& org = ctx_.world.organisations[organisation];
  double& risk = org.perceived_risk[route];
  risk += alpha * ((seized ? 1.0 : 0.0) - risk);
  org.risk_cost[route] = risk_cost(risk);
  // Plans are redone only once some route's risk cost has moved noticeably since they were made.
  if (std::abs(org.risk_cost[route] - org.planned_risk_cost[route]) > kReplanThreshold) ++org.plan_epoch;
}

}  // namespace interdict::model
