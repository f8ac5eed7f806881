// RoutePlanner: route choice by expected profit net of learned, perceived risk.
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "model/Command.hpp"
#include "model/Market.hpp"
#include "model/ModelContext.hpp"
#include "model/RouteNetwork.hpp"

namespace interdict::model {

inline constexpr std::uint32_t kNoPath = UINT32_MAX;

/// Mechanism 2, route choice. Each organisation keeps a perceived seizure probability ρ per
/// route, learned by exponential smoothing of its own outcomes: ρ ← ρ + α(x − ρ), x = 1 for
/// a seizure on the route, 0 for a completed traversal. Paths minimise
///   Σ [ a · (−ln(1 − ρ_r)) + τ · mean_days_r + c · length_km_r / price ]
/// over routes the organisation can currently use (sea legs need a vessel based at either
/// end, land and air legs a cell with members at the origin): with risk aversion a = 1 this
/// maximises the probability of arrival, traded against the time value τ (fraction of the
/// value lost per day) and transport cost c per kg-km. One reverse shortest-path tree per
/// (organisation, market) serves all sources. It is rebuilt, at most every replan_interval
/// days, once what it rests on has changed: a route's −ln(1 − ρ) has moved by more than
/// kReplanThreshold, or a place has gained or lost its last carrier. So flows move away from
/// enforcement (the balloon effect) and back when the perceived risk fades. The search stops
/// once the places of the market's sources are settled, which leaves their paths unchanged.
///
/// Perceived risk fades, and is tested. With forgetting rate λ, what was learned of a route
/// fades while nothing new is: t days after the last outcome on it, ρ = ρ0 + (ρ_last − ρ0)
/// e^(−λt), with ρ0 the initial risk (each outcome is smoothed into the faded value). With
/// probing ε, each plan is with probability ε the path that is best by time and cost alone
/// (risk aversion 0), so loads keep testing routes believed risky and learn when a patrol has
/// gone. Either brings traffic back to a corridor once pressure lifts; with neither, a route
/// abandoned under a patrol is never tried again.
class RoutePlanner {
 public:
  /// The price a path's transport cost is weighed against; whether anyone may re-plan.
  using Needs = std::tuple<Market, Command>;
  RoutePlanner(ModelContext& context, const Market& market, const Command& command);

  /// Path (index into World::paths) for the next shipment of `source`, or kNoPath.
  std::uint32_t path_for(std::size_t source);
  /// Fastest path by mean time, for shipments of independent sources.
  std::uint32_t fixed_path(std::size_t source) const { return fixed_paths_.at(source); }

  /// Updates the organisation's perceived risk of `route` after a traversal.
  void learn(std::size_t organisation, std::size_t route, bool seized);

 private:
  /// Change of a route's risk cost that makes plans stale (about 1% in arrival probability).
  static constexpr double kReplanThreshold = 0.01;

  std::uint32_t store(std::vector<std::size_t> path, std::uint32_t previous);
  /// Throws std::logic_error if a source cannot reach its market (validation should have
  /// said so first).
  void check_reachable();
  static double risk_cost(double risk);
  /// Organisation o's perceived risk of `route` now, faded since it last learned about it.
  double risk_now(std::size_t o, std::size_t route, double now) const;
  /// The risk-neutral path of `source` (probing), or kNoPath.
  std::uint32_t probe_path(std::size_t source);

  ModelContext& ctx_;
  const Market& market_;
  const Command& command_;
  RouteNetwork network_;
  std::vector<std::uint32_t> fixed_paths_;
  std::vector<WeightChange> changes_;  // scratch: routes reweighed since a tree was built
  // Compact copies of what the weights need, so building them is one pass over small arrays.
  std::vector<std::uint32_t> route_from_;
  std::vector<std::uint32_t> route_to_;
  std::vector<char> route_at_sea_;
  std::vector<double> route_days_;
  std::vector<double> route_km_;
  std::vector<std::vector<std::vector<std::size_t>>> source_places_;  // [organisation][market]
  // Per organisation and market: risk costs the tree was built with, which routes its
  // sources' paths use, and whether a relevant change has happened since.
  struct TreeState {
    PathTree paths;               // towards the market, from every place
    std::vector<double> weights;  // per route: the weights `paths` rests on
    double per_km = 0.0;          // transport cost per km in them
    std::size_t risk_seen = 0;    // the organisation's risk_log_ read to this position
    double built_at = -kNever;
    std::size_t epoch = 0;                  // its carrier_changes read to this position
    std::vector<double> planned_risk_cost;  // per route
    std::vector<char> on_path;              // per route
    bool complete = false;                  // every source had a path
    bool stale = true;
    /// Whether learning and fading are watched for changes that make it stale (the planned
    /// risk costs and paths above are kept): not for probing trees, which are risk-neutral.
    bool watched = true;
  };
  std::vector<std::vector<TreeState>> trees_;
  std::vector<std::vector<TreeState>> probe_trees_;  // risk-neutral, for probing loads
  /// Builds `tree` towards `market` for organisation `o` with risk aversion `aversion`: by
  /// updating it where only some routes' weights changed (the same paths as a new search,
  /// route for route), otherwise by searching again.
  void build_tree(TreeState& tree, std::size_t o, std::size_t market, double aversion);
  /// Route r's weight in organisation o's tree with risk aversion `aversion` and transport
  /// cost `per_km`, with its risk cost now (set in `tree`).
  double weigh(TreeState& tree, std::size_t o, std::size_t r, double aversion, double per_km,
               double now);
  /// Reweighs, in `tree`, the routes whose weight may have changed since it was built, noting
  /// the changes in changes_.
  void reweigh_changed(TreeState& tree, std::size_t o, double aversion, double now);
  /// Whether `route` now costing `cost` (its risk cost) may change the tree's paths: it moved
  /// by more than kReplanThreshold from what the tree used, upwards on a path in use or
  /// downwards off them (or the tree left a source without a path).
  static bool moves_paths(const TreeState& tree, std::size_t route, double cost);
  /// Whether routes off the tree's paths have faded enough since it was built to change them.
  bool faded(const TreeState& tree, std::size_t o, double now) const;
  /// The path the tree gives `source` (index into World::paths, reusing `previous` if equal),
  /// or kNoPath.
  std::uint32_t follow(const TreeState& tree, std::size_t source, std::uint32_t previous);
  // Forgetting: per organisation and route, when it last learned; routes it has learned about.
  std::vector<std::vector<double>> learned_at_;
  std::vector<std::vector<std::size_t>> learned_routes_;
  // Per organisation: routes whose risk_cost changed, in order (read by trees as they update).
  std::vector<ChangeLog<std::uint32_t>> risk_log_;
  /// Routes a tree would reweigh to update (counting a place's carriers as 8).
  std::size_t pending_changes(const TreeState& tree, std::size_t o) const;
  /// Drops the log entries every built tree of organisation o has read.
  void trim_logs(std::size_t o);
  std::vector<std::uint32_t> probe_path_;  // per source: last probing path, or kNoPath
  LazyStream probe_rng_;
  std::vector<std::uint32_t> source_path_;  // per source: index into World::paths, or kNoPath
  std::vector<double> source_planned_at_;   // per source: time of its last plan
  std::vector<std::vector<std::size_t>>
      markets_of_;  // per organisation: markets its sources supply
  void mark_paths(TreeState& tree, std::size_t organisation, std::size_t market);
};

}  // namespace interdict::model
