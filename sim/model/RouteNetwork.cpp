// RouteNetwork: Dijkstra over routes with a caller-supplied weight.
#include "model/RouteNetwork.hpp"

#include <algorithm>
#include <cstdint>
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
  search_ = std::make_unique<Search>(places.size());
}

namespace {

/// A mark per place, all cleared at once by starting a new round (no pass over every place).
class RoundMarks {
 public:
  explicit RoundMarks(std::size_t places) : round_of_(places, 0) {}

  void start() {
    if (++round_ == 0) {  // wrapped: no place may look marked from an earlier round
      std::fill(round_of_.begin(), round_of_.end(), 0);
      round_ = 1;
    }
  }
  bool has(std::size_t place) const { return round_of_[place] == round_; }
  void set(std::size_t place) { round_of_[place] = round_; }

 private:
  std::vector<std::uint32_t> round_of_;  // the round in which each place was marked
  std::uint32_t round_ = 0;
};

/// Min-heap of places keyed by tentative cost, with decrease-key (4-ary, indexed): each place
/// is in it at most once, so a search does one push and one pop per place it reaches. Kept
/// between searches: `start` forgets the last one without touching every place.
class PlaceHeap {
 public:
  explicit PlaceHeap(std::size_t places) : slot_(places, kNone), done_(places) {}

  void start() {
    for (const Entry& e : heap_)
      slot_[e.place] = kNone;
    heap_.clear();
    done_.start();
  }

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
    slot_[top] = kNone;
    done_.set(top);
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return top;
  }

  /// Whether the place has been popped since `start`.
  bool done(std::size_t place) const { return done_.has(place); }

 private:
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
  std::vector<std::size_t> slot_;  // index in heap_, kNone if not in it
  RoundMarks done_;                // popped since `start`
};

constexpr double kUnreached = std::numeric_limits<double>::infinity();

/// Offers `place` the cost `candidate` over route r: taken if lower, or equal over a
/// lower-numbered route (the tie rule of every search here), and then queued at that cost.
void offer(PathTree& tree, PlaceHeap& frontier, std::size_t place, std::size_t r,
           double candidate) {
  if (candidate < tree.best[place] ||
      (candidate == tree.best[place] && candidate < kUnreached && r < tree.next[place])) {
    tree.best[place] = candidate;
    tree.next[place] = r;
    frontier.push_or_decrease(place, candidate);
  }
}

}  // namespace

/// What tree searches keep between calls: the heap and the marks of an update.
class RouteNetwork::Search {
 public:
  explicit Search(std::size_t places) : heap(places), marks_(places) {}

  void start_marks() {
    marked.clear();
    marks_.start();
  }
  bool is_marked(std::size_t place) const { return marks_.has(place); }
  void mark(std::size_t place) {
    marks_.set(place);
    marked.push_back(place);
  }

  PlaceHeap heap;
  std::vector<std::size_t> marked;  // in the order marked
  std::vector<std::size_t> stack;

 private:
  RoundMarks marks_;
};

RouteNetwork::~RouteNetwork() = default;

std::vector<std::size_t> RouteNetwork::least_cost_tree_to(
    std::size_t to, const std::vector<double>& weights,
    const std::vector<std::size_t>& needed) const {
  PathTree tree;
  build_tree(to, weights, needed, tree);
  return std::move(tree.next);
}

void RouteNetwork::build_tree(std::size_t to, const std::vector<double>& weights,
                              const std::vector<std::size_t>& needed, PathTree& tree) const {
  const std::size_t places = incoming_start_.size() - 1;
  tree.best.assign(places, kUnreached);
  tree.next.assign(places, kNone);
  tree.updatable = true;
  PlaceHeap& frontier = search_->heap;
  frontier.start();
  tree.best[to] = 0.0;
  frontier.push_or_decrease(to, 0.0);
  std::size_t unsettled = needed.size();
  std::vector<char> is_needed(needed.empty() ? 0 : places, 0);
  for (std::size_t p : needed)
    is_needed[p] = 1;
  while (!frontier.empty()) {
    const std::size_t place = frontier.pop();
    // With the needed places settled their paths are final; a tree that is not the fixed point
    // stops here, as paths past this point could still change.
    if (!needed.empty() && is_needed[place] && --unsettled == 0 && !tree.updatable) return;
    if (!relax_into(place, weights, tree)) tree.updatable = false;
  }
}

bool RouteNetwork::relax_into(std::size_t place, const std::vector<double>& weights,
                              PathTree& tree) const {
  PlaceHeap& frontier = search_->heap;
  const double d = tree.best[place];
  bool raised = true;
  for (std::size_t k = incoming_start_[place]; k < incoming_start_[place + 1]; ++k) {
    const std::size_t from = incoming_from_[k];
    const std::size_t r = incoming_route_[k];
    const double candidate = d + weights[r];
    // Checked for settled places too: a route that raises nothing makes the order in which
    // equal costs settle decide paths, and the tree is then no fixed point.
    if (!(candidate > d) && candidate < kUnreached) raised = false;
    if (!frontier.done(from)) offer(tree, frontier, from, r, candidate);
  }
  return raised;
}

void RouteNetwork::mark_dearer(const std::vector<double>& weights,
                               std::span<const WeightChange> changes, PathTree& tree) const {
  Search& s = *search_;
  s.start_marks();
  for (const WeightChange& change : changes) {
    const std::size_t r = change.route;
    const std::size_t top = routes_[r].from;
    if (!(weights[r] > change.before) || tree.next[top] != r || s.is_marked(top)) continue;
    s.mark(top);
    s.stack.assign(1, top);
    while (!s.stack.empty()) {  // the places whose path runs through `top`
      const std::size_t place = s.stack.back();
      s.stack.pop_back();
      for (std::size_t k = incoming_start_[place]; k < incoming_start_[place + 1]; ++k) {
        const std::size_t from = incoming_from_[k];
        if (tree.next[from] != incoming_route_[k] || s.is_marked(from)) continue;
        s.mark(from);
        s.stack.push_back(from);
      }
    }
  }
}

bool RouteNetwork::update_tree(const std::vector<double>& weights,
                               std::span<const WeightChange> changes, PathTree& tree) const {
  if (!tree.updatable) return false;
  tree.updatable = false;  // until the update has succeeded
  if (!update_in_place(weights, changes, tree)) return false;
  tree.updatable = true;
  return true;
}

bool RouteNetwork::update_in_place(const std::vector<double>& weights,
                                   std::span<const WeightChange> changes, PathTree& tree) const {
  Search& s = *search_;
  s.heap.start();
  mark_dearer(weights, changes, tree);
  for (std::size_t place : s.marked) {
    tree.best[place] = kUnreached;
    tree.next[place] = kNone;
  }
  // An offer over route r to a place whose cost is known; false if it fails to raise it.
  const auto offer_route = [&](std::size_t r) {
    const double d = tree.best[routes_[r].to];
    const double candidate = d + weights[r];
    if (!(candidate < kUnreached)) return true;
    if (!(candidate > d)) return false;
    offer(tree, s.heap, routes_[r].from, r, candidate);
    return true;
  };
  // Cut-off places start from their routes to places whose paths stand ...
  for (std::size_t place : s.marked)
    for (std::size_t r : outgoing_[place])
      if (!s.is_marked(routes_[r].to) && !offer_route(r)) return false;
  // ... and places elsewhere from the routes that became cheaper.
  for (const WeightChange& change : changes) {
    const std::size_t r = change.route;
    if (!(weights[r] < change.before) || s.is_marked(routes_[r].from) || s.is_marked(routes_[r].to))
      continue;
    if (!offer_route(r)) return false;
  }
  return settle(weights, tree);
}

bool RouteNetwork::settle(const std::vector<double>& weights, PathTree& tree) const {
  PlaceHeap& frontier = search_->heap;
  while (!frontier.empty())
    if (!relax_into(frontier.pop(), weights, tree)) return false;
  return true;
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
