// Graph: construction of the sorted, merged adjacency arrays.
#include "graph/Graph.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace interdict::graph {

namespace {

/// Sorts ties by (from, to), merges repeats and fills CSR arrays.
void build_rows(std::size_t n, std::vector<Tie>& ties, std::vector<std::size_t>& offsets,
                std::vector<Neighbour>& row) {
  std::sort(ties.begin(), ties.end(), [](const Tie& a, const Tie& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  offsets.assign(n + 1, 0);
  row.clear();
  for (std::size_t i = 0; i < ties.size(); ++i) {
    if (!row.empty() && i > 0 && ties[i].from == ties[i - 1].from && ties[i].to == ties[i - 1].to) {
      row.back().weight += ties[i].weight;
      continue;
    }
    row.push_back({ties[i].to, ties[i].weight});
    ++offsets[ties[i].from + 1];
  }
  for (std::size_t v = 0; v < n; ++v)
    offsets[v + 1] += offsets[v];
}

}  // namespace

Graph::Graph(std::size_t node_count, std::span<const Tie> ties, bool directed)
    : directed_(directed) {
  std::vector<Tie> forward;
  std::vector<Tie> backward;
  forward.reserve(directed ? ties.size() : 2 * ties.size());
  for (const Tie& t : ties) {
    if (t.from >= node_count || t.to >= node_count)
      throw std::out_of_range("tie " + std::to_string(t.from) + "-" + std::to_string(t.to) +
                              " names a node beyond " + std::to_string(node_count));
    if (t.from == t.to) continue;
    forward.push_back(t);
    if (directed)
      backward.push_back({t.to, t.from, t.weight});
    else
      forward.push_back({t.to, t.from, t.weight});
  }
  build_rows(node_count, forward, out_offsets_, out_);
  tie_count_ = directed ? out_.size() : out_.size() / 2;
  if (directed) build_rows(node_count, backward, in_offsets_, in_);
}

std::vector<Tie> Graph::ties() const {
  std::vector<Tie> out;
  for (std::size_t v = 0; v < size(); ++v)
    for (const Neighbour& nb : this->out(v))
      if (directed_ || v < nb.node) out.push_back({v, nb.node, nb.weight});
  return out;
}

Graph Graph::undirected() const {
  if (!directed_) return *this;
  const std::vector<Tie> all = ties();
  return Graph(size(), all, false);
}

std::size_t active_count(const Graph& g, const NodeMask& mask) {
  if (mask.empty()) return g.size();
  return static_cast<std::size_t>(std::count(mask.begin(), mask.end(), char{1}));
}

}  // namespace interdict::graph
