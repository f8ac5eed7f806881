// RouteNetwork: Dijkstra over routes with a caller-supplied weight.
#include "model/RouteNetwork.hpp"

#include <algorithm>
#include <limits>
#include <queue>
#include <utility>

namespace interdict::model {

RouteNetwork::RouteNetwork(const std::vector<PlaceSpec>& places, const std::vector<RouteSpec>& routes)
    : routes_(routes), outgoing_(places.size()), incoming_start_(places.size() + 1, 0) {
  for (std::size_t r = 0; r < routes.size(); ++r) {
    outgoing_.at(routes[r].from).push_back(r);
    ++incoming_start_.at(routes[r].to + 1);
  }
  for (std::size_t p = 0; p < places.size(); ++p) incoming_start_[p + 1] += incoming_start_[p];
  incoming_route_.resize(routes.size());
  incoming_from_.resize(routes.size());
  std::vector<std::size_t> fill(incoming_start_.begin(), incoming_start_.end() - 1);
  for (std::size_t r = 0; r < routes.size(); ++r) {
    incoming_route_[fill[routes[r].to]] = r;
    incoming_from_[fill[routes[r].to]++] = routes[r].from;
  }
}

std::vector<std::size_t> RouteNetwork::least_cost_tree_to(std::size_t to, const std::vector<double>& weights) const {
  constexpr double kUnreached = std::numeric_limits<double>::infinity();
  const std::size_t places = incoming_start_.size() - 1;
  std::vector<double> best(places, kUnreached);
  std::vector<std::size_t> next(places, kNone);
  using Entry = std::pair<double, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> frontier;
  best[to] = 0.0;
  frontier.emplace(0.0, to);
  while (!frontier.empty()) {
    const auto [d, place] = frontier.top();
    frontier.pop();
    if (d > best[place]) continue;
    for (std::size_t k = incoming_start_[place]; k < incoming_start_[place + 1]; ++k) {
      const std::size_t r = incoming_route_[k];
      const double w = weights[r];
      if (!(w < kUnreached)) continue;
      const std::size_t from = incoming_from_[k];
      const double candidate = d + w;
      if (candidate < best[from] || (candidate == best[from] && r < next[from])) {
        best[from] = candidate;
        next[from] = r;
        frontier.emplace(candidate, from);
      }
    }
  }
  return next;
}

std::optional<std::vector<std::size_t>> RouteNetwork::least_cost_path(
    std::size_t from, std::size_t to, const std::function<double(std::size_t)>& weight) const {
  constexpr double kUnreached = std::numeric_limits<double>::infinity();
  std::vector<double> best(outgoing_.size(), kUnreached);
  std::vector<std::size_t> via(outgoing_.size(), kNone);  // route used to reach each place
  using Entry = std::pair<double, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> frontier;
  best[from] = 0.0;
  frontier.emplace(0.0, from);
  while (!frontier.empty()) {
    const auto [d, place] = frontier.top();
    frontier.pop();
    if (d > best[place]) continue;
    if (place == to) break;
    for (std::size_t r : outgoing_[place]) {
      const double w = weight(r);
      if (!(w < kUnreached)) continue;
      const double candidate = d + w;
      if (candidate < best[routes_[r].to]) {
        best[routes_[r].to] = candidate;
        via[routes_[r].to] = r;
        frontier.emplace(candidate, routes_[r].to);
      }
    }
  }
  if (best[to] == kUnreached) return std::nullopt;
  std::vector<std::size_t> path;
  for (std::size_t p = to; p != from; p = routes_[via[p]].from) path.push_back(via[p]);
  std::reverse(path.begin(), path.end());
  return path;
}

std::optional<std::vector<std::size_t>> RouteNetwork::fastest_path(std::size_t from, std::size_t to) const {
  return least_cost_path(from, to, [this](std::size_t r) { return routes_[r].mean_days; });
}

}  // namespace interdict::model
