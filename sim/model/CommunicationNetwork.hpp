// CommunicationNetwork: which places have radio, and how well the relay network holds together.
#pragma once

#include <cstddef>
#include <vector>

#include "graph/Graph.hpp"
#include "model/ModelSpec.hpp"
#include "model/World.hpp"

namespace interdict::model {

/// The radio infrastructure: relays that are up, their links, and what they cover.
/// A place has radio for an organisation when an up relay of that organisation covers it
/// and is connected, through up relays, to an up control centre (or, for an organisation
/// without control centres, to any up relay). Results are cached until mark_changed().
class CommunicationNetwork {
 public:
  CommunicationNetwork(const ModelSpec& spec, const std::vector<RelayRuntime>& relays);

  /// Call whenever a relay goes down or comes back up.
  void mark_changed() {
    stale_ = true;
    ++version_;
  }
  /// Increases whenever the network changes.
  std::uint64_t version() const { return version_; }

  /// Whether hand-offs of organisation `org` at `place` can be coordinated over radio.
  bool radio_at(std::size_t org, std::size_t place);

  /// Number of relays up.
  std::size_t size();
  /// Global efficiency (Latora & Marchiori 2001) of the graph of up relays and their links:
  /// the mean of 1/d(i,j) over ordered pairs; 0 with fewer than two relays up.
  double global_efficiency();
  /// The relays' radio links (undirected), whatever is up.
  const graph::Graph& link_graph() const { return link_graph_; }

 private:
  void refresh();

  const ModelSpec& spec_;
  const std::vector<RelayRuntime>& relays_;
  graph::Graph link_graph_;               // the relays' radio links, undirected
  std::vector<std::vector<char>> radio_;  // [organisation][place]
  std::size_t up_ = 0;
  double efficiency_ = 0.0;
  bool stale_ = true;
  std::uint64_t version_ = 0;
};

}  // namespace interdict::model
