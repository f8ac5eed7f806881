// CommunicationNetwork: radio reachability per organisation and relay-graph efficiency.
#include "model/CommunicationNetwork.hpp"

#include <algorithm>
#include <deque>

#include "graph/Structure.hpp"

namespace interdict::model {

namespace {

/// The relays' radio links as an undirected graph (repeats merged, self-links dropped).
graph::Graph links_of(const ModelSpec& spec) {
  std::vector<graph::Tie> ties;
  for (std::size_t r = 0; r < spec.relays.size(); ++r)
    for (std::size_t other : spec.relays[r].links)
      if (r < other)
        ties.push_back({r, other, 1.0});
      else if (other < r)
        ties.push_back({other, r, 1.0});
  return graph::Graph(spec.relays.size(), ties, false);
}

}  // namespace

CommunicationNetwork::CommunicationNetwork(const ModelSpec& spec,
                                           const std::vector<RelayRuntime>& relays)
    : spec_(spec), relays_(relays), link_graph_(links_of(spec)) {}

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
      for (const graph::Neighbour& link : link_graph_.out(r)) {
        const std::size_t next = link.node;
        if (up[next] && !reached[next] && spec_.relays[next].organisation == o) {
          reached[next] = 1;
          frontier.push_back(next);
        }
      }
    }
  }
  efficiency_ = graph::global_efficiency(link_graph_, up);
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
