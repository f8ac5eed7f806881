// CommunicationNetwork: radio reachability per organisation and relay-graph efficiency.
#include "model/CommunicationNetwork.hpp"

#include <algorithm>
#include <deque>

namespace interdict::model {

double global_efficiency(const std::vector<std::vector<std::size_t>>& adjacency,
                         const std::vector<char>& present) {
  const std::size_t n = adjacency.size();
  std::size_t nodes = 0;
  for (char p : present)
    nodes += p ? 1 : 0;
  if (nodes < 2) return 0.0;
  std::vector<std::size_t> distance(n);
  std::vector<std::size_t> queue;
  queue.reserve(n);
  double sum = 0.0;
  for (std::size_t s = 0; s < n; ++s) {
    if (!present[s]) continue;
    std::fill(distance.begin(), distance.end(), kNone);
    distance[s] = 0;
    queue.clear();
    queue.push_back(s);
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::size_t u = queue[head];
      for (std::size_t v : adjacency[u]) {
        if (!present[v] || distance[v] != kNone) continue;
        distance[v] = distance[u] + 1;
        sum += 1.0 / static_cast<double>(distance[v]);
        queue.push_back(v);
      }
    }
  }
  return sum / (static_cast<double>(nodes) * static_cast<double>(nodes - 1));
}

CommunicationNetwork::CommunicationNetwork(const ModelSpec& spec,
                                           const std::vector<RelayRuntime>& relays)
    : spec_(spec), relays_(relays), links_(spec.relays.size()) {
  for (std::size_t r = 0; r < spec.relays.size(); ++r) {
    for (std::size_t other : spec.relays[r].links) {
      if (other == r) continue;
      if (std::find(links_[r].begin(), links_[r].end(), other) == links_[r].end())
        links_[r].push_back(other);
      if (std::find(links_[other].begin(), links_[other].end(), r) == links_[other].end())
        links_[other].push_back(r);
    }
  }
}

void CommunicationNetwork::refresh() {
  const std::size_t n = spec_.relays.size();
  std::vector<char> up(n);
  up_ = 0;
  for (std::size_t r = 0; r < n; ++r) {
    up[r] = relays_[r].up ? 1 : 0;
    up_ += relays_[r].up ? 1 : 0;
  }
  radio_.assign(spec_.organisations.size(), std::vector<char>(spec_.places.size(), 0));
  for (std::size_t o = 0; o < spec_.organisations.size(); ++o) {
    bool has_centre = false;
    for (const RelaySpec& relay : spec_.relays)
      has_centre |= relay.organisation == o && relay.kind == RelayKind::control_centre;
    // Breadth-first search from the organisation's up control centres (or all its up relays).
    std::vector<char> reached(n, 0);
    std::deque<std::size_t> frontier;
    for (std::size_t r = 0; r < n; ++r) {
      const RelaySpec& relay = spec_.relays[r];
      if (up[r] && relay.organisation == o &&
          (!has_centre || relay.kind == RelayKind::control_centre)) {
        reached[r] = 1;
        frontier.push_back(r);
      }
    }
    while (!frontier.empty()) {
      const std::size_t r = frontier.front();
      frontier.pop_front();
      for (std::size_t place : spec_.relays[r].covers)
        radio_[o][place] = 1;
      for (std::size_t next : links_[r]) {
        if (up[next] && !reached[next] && spec_.relays[next].organisation == o) {
          reached[next] = 1;
          frontier.push_back(next);
        }
      }
    }
  }
  efficiency_ = model::global_efficiency(links_, up);
  stale_ = false;
}

bool CommunicationNetwork::radio_at(std::size_t org, std::size_t place) {
  if (stale_) refresh();
  return radio_[org][place] != 0;
}

std::size_t CommunicationNetwork::size() {
  if (stale_) refresh();
  return up_;
}

double CommunicationNetwork::global_efficiency() {
  if (stale_) refresh();
  return efficiency_;
}

}  // namespace interdict::model
