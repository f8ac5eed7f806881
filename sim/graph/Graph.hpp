// Graph: an immutable network in compressed sparse row form, for the network measures.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace interdict::graph {

/// One end of a tie as seen from the other: the neighbour and the tie's weight.
struct Neighbour {
  std::size_t node;
  double weight;
};

/// A tie to add to a graph.
struct Tie {
  std::size_t from;
  std::size_t to;
  double weight = 1.0;
  bool operator==(const Tie&) const = default;
};

/// Which nodes take part in a computation (1) and which are removed (0). Empty: all nodes.
using NodeMask = std::vector<char>;

/// Nodes 0..n-1 and weighted ties, directed or not. Undirected ties are stored both ways.
/// Self-loops are dropped; repeated ties between the same nodes (in the same direction, or
/// either direction when undirected) are merged by adding their weights.
class Graph {
 public:
  Graph() = default;
  Graph(std::size_t node_count, std::span<const Tie> ties, bool directed);

  std::size_t size() const { return out_offsets_.empty() ? 0 : out_offsets_.size() - 1; }
  bool directed() const { return directed_; }
  /// Number of ties (undirected: pairs of nodes; directed: ordered pairs).
  std::size_t tie_count() const { return tie_count_; }
  /// Ties leaving v (undirected: all of v's ties).
  std::span<const Neighbour> out(std::size_t v) const {
    return {out_.data() + out_offsets_[v], out_offsets_[v + 1] - out_offsets_[v]};
  }
  /// Ties arriving at v (undirected: all of v's ties).
  std::span<const Neighbour> in(std::size_t v) const {
    if (!directed_) return out(v);
    return {in_.data() + in_offsets_[v], in_offsets_[v + 1] - in_offsets_[v]};
  }
  /// Every tie once (undirected: from < to), in node order.
  std::vector<Tie> ties() const;
  /// The same graph with every tie undirected (weights of opposite ties added).
  Graph undirected() const;

 private:
  bool directed_ = false;
  std::size_t tie_count_ = 0;
  std::vector<std::size_t> out_offsets_;
  std::vector<Neighbour> out_;
  std::vector<std::size_t> in_offsets_;
  std::vector<Neighbour> in_;
};

/// Whether node v takes part, for a mask that may be empty (all nodes).
inline bool is_active(const NodeMask& mask, std::size_t v) {
  return mask.empty() || mask[v];
}

/// Number of nodes taking part.
std::size_t active_count(const Graph& g, const NodeMask& mask);

}  // namespace interdict::graph
