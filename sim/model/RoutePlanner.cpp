// RoutePlanner: learned perceived risk and least generalised-cost paths.
#include "model/RoutePlanner.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace interdict::model {

RoutePlanner::RoutePlanner(ModelContext& context)
    : ctx_(context), network_(context.spec().places, context.spec().routes) {
  const ModelSpec& spec = ctx_.spec();
  for (std::size_t s = 0; s < spec.sources.size(); ++s) {
    auto path = network_.fastest_path(spec.sources[s].place, spec.markets.at(spec.sources[s].market).place);
    if (!path) throw std::logic_error("source '" + spec.sources[s].id + "' cannot reach its market");
    ctx_.world.paths.push_back(std::move(*path));
    fixed_paths_.push_back(static_cast<std::uint32_t>(ctx_.world.paths.size() - 1));
  }
}

bool RoutePlanner::usable(std::size_t organisation, std::size_t route) const {
  const World& w = ctx_.world;
  const RouteSpec& r = ctx_.spec().routes[route];
  const OrganisationRuntime& org = w.organisations[organisation];
  if (r.mode == RouteMode::sea) {
    for (std::size_t end : {r.from, r.to})
      for (std::size_t v : org.vessels_at[end])
        if (w.vessels[v].state != VesselState::seized) return true;
    return false;
  }
  for (std::size_t c : org.cells_at[r.from])
    if (w.cells[c].total() > 0) return true;
  return false;
}

std::uint32_t RoutePlanner::path_for(std::size_t source) {
  const ModelSpec& spec = ctx_.spec();
  const SourceSpec& src = spec.sources[source];
  OrganisationRuntime& org = ctx_.world.organisations[src.organisation];
  const OrganisationSpec& params = spec.organisations[src.organisation];
  const double now = ctx_.now();
  if (now - org.planned_at[source] < params.replan_interval && org.source_path[source] != kNoPath)
    return org.source_path[source];
  const double price = std::max(spec.markets[src.market].price_per_kg, 1.0);
  const auto weight = [&](std::size_t r) {
    if (!usable(src.organisation, r)) return kNever;
    const RouteSpec& route = spec.routes[r];
    const double risk = std::min(org.perceived_risk[r], 0.999);
    return params.risk_aversion * -std::log1p(-risk) + params.time_value * route.mean_days +
           params.cost_per_kg_km * route.length_km / price;
  };
  auto path = network_.least_cost_path(src.place, spec.markets[src.market].place, weight);
  org.planned_at[source] = now;
  org.source_path[source] = path ? store(std::move(*path), org.source_path[source]) : kNoPath;
  return org.source_path[source];
}

std::uint32_t RoutePlanner::store(std::vector<std::size_t> path, std::uint32_t previous) {
  auto& paths = ctx_.world.paths;
  if (previous != kNoPath && paths[previous] == path) return previous;
  paths.push_back(std::move(path));
  return static_cast<std::uint32_t>(paths.size() - 1);
}

void RoutePlanner::learn(std::size_t organisation, std::size_t route, bool seized) {
  const double alpha = ctx_.spec().organisations[organisation].learning_rate;
  double& risk = ctx_.world.organisations[organisation].perceived_risk[route];
  risk += alpha * ((seized ? 1.0 : 0.0) - risk);
}

}  // namespace interdict::model
