// RouteNetwork: Dijkstra over routes with a caller-supplied weight.
#include "model/RouteNetwork.hpp"

#include <algorithm>
#include <limits>
#include <queue>
#include <utility>

namespace interdict::model {

RouteNetwork::RouteNetwork(const std::vector<PlaceSpec>& places,
                           const std::vector<RouteSpec>& routes)
    : routes_(routes), outgoing_(places.size()), incoming_start_(places.size() + 1, 0) {
  for (std::size_t r = 0; r < routes.size(); ++r) {
    outgoing_.at(routes[r].from).push_back(r);
    ++incoming_start_.at(routes[r].to + 1);
  }
  for (std::size_t p = 0; p < places.size(); ++p)
    incoming_start_[p + 1] += incoming_start_[p];
  incoming_route_.resize(routes.size());
  incoming_from_.resize(routes.size());
  std::vector<std::size_t> fill(incoming_start_.begin(), incoming_start_.end() - 1);
  for (std::size_t r = 0; r < routes.size(); ++r) {
    incoming_route_[fill[routes[r].to]] = r;
    incoming_from_[fill[routes[r].to]++] = routes[r].from;
  }
}

namespace {

/// Min-heap of places keyed by tentative cost, with decrease-key (4-ary, indexed): each place
/// is in it at most once, so a search does one push and one pop per place it reaches.
class PlaceHeap {
 public:
  explicit PlaceHeap(std::size_t places) : slot_(places, kNone) {}

  bool empty() const { return heap_.empty(); }

  /// Inserts the place, or lowers its key if it is already in.
  void push_or_decrease(std::size_t place, double key) {
    std::size_t i = slot_[place];
    if (i == kNone) {
      i = heap_.size();
      heap_.push_back({key, place});
    } else {
      heap_[i].key = key;
    }
    sift_up(i);
  }

  std::size_t pop() {
    const std::size_t top = heap_.front().place;
    slot_[top] = kDone;
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return top;
  }

  bool done(std::size_t place) const { return slot_[place] == kDone; }

 private:
  static constexpr std::size_t kDone = kNone - 1;
  struct Entry {
    double key;
    std::size_t place;
  };

  void place_at(std::size_t i, const Entry& e) {
    heap_[i] = e;
    slot_[e.place] = i;
  }
  void sift_up(std::size_t i) {
    const Entry e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!(e.key < heap_[parent].key)) break;
      place_at(i, heap_[parent]);
      i = parent;
    }
    place_at(i, e);
  }
  void sift_down(std::size_t i) {
    const Entry e = heap_[i];
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= heap_.size()) break;
      std::size_t best = first;
      const std::size_t last = std::min(first + 4, heap_.size());
      for (std::size_t c = first + 1; c < last; ++c)
        if (heap_[c].key < heap_[best].key) best = c;
      if (!(heap_[best].key < e.key)) break;
      place_at(i, heap_[best]);
      i = best;
    }
    place_at(i, e);
  }

  std::vector<Entry> heap_;
  std::vector<std::size_t> slot_;  // index in heap_, kNone if never reached, kDone once popped
};

}  // namespace

std::vector<std::size_t> RouteNetwork::least_cost_tree_to(
    std::size_t to, const std::vector<double>& weights,
    const std::vector<std::size_t>& needed) const {
  constexpr double kUnreached = std::numeric_limits<double>::infinity();
  const std::size_t places = incoming_start_.size() - 1;
  std::vector<double> best(places, kUnreached);
  std::vector<std::size_t> next(places, kNone);
  PlaceHeap frontier(places);
  best[to] = 0.0;
  frontier.push_or_decrease(to, 0.0);
  std::size_t unsettled = needed.size();
  std::vector<char> is_needed(needed.empty() ? 0 : places, 0);
  for (std::size_t p : needed)
    is_needed[p] = 1;
  while (!frontier.empty()) {
    const std::size_t place = frontier.pop();
    if (!needed.empty() && is_needed[place] && --unsettled == 0) break;
    const double d = best[place];
    for (std::size_t k = incoming_start_[place]; k < incoming_start_[place + 1]; ++k) {
      const std::size_t from = incoming_from_[k];
      if (frontier.done(from)) continue;
      const std::size_t r = incoming_route_[k];
      const double candidate = d + weights[r];
      if (candidate < best[from] ||
          (candidate == best[from] && candidate < kUnreached && r < next[from])) {
        best[from] = candidate;
        next[from] = r;
        frontier.push_or_decrease(from, candidate);
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
  for (std::size_t p = to; p != from; p = routes_[via[p]].from)
    path.push_back(via[p]);
  std::reverse(path.begin(), path.end());
  return path;
}

std::optional<std::vector<std::size_t>> RouteNetwork::fastest_path(std::size_t from,
                                                                   std::size_t to) const {
  return least_cost_path(from, to, [this](std::size_t r) { return routes_[r].mean_days; });
}

}  // namespace interdict::model
