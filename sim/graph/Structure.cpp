// Structure: breadth-first searches over the active part of a graph.
#include "graph/Structure.hpp"

#include <algorithm>
#include <functional>

#include "graph/Centrality.hpp"

namespace interdict::graph {

std::vector<std::size_t> component_labels(const Graph& g, const NodeMask& mask) {
  std::vector<std::size_t> label(g.size(), kNoComponent);
  std::vector<std::size_t> queue;
  std::size_t next = 0;
  for (std::size_t start = 0; start < g.size(); ++start) {
    if (!is_active(mask, start) || label[start] != kNoComponent) continue;
    label[start] = next;
    queue.assign(1, start);
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::size_t v = queue[head];
      for (auto ties : {g.out(v), g.in(v)})
        for (const Neighbour& nb : ties)
          if (is_active(mask, nb.node) && label[nb.node] == kNoComponent) {
            label[nb.node] = next;
            queue.push_back(nb.node);
          }
    }
    ++next;
  }
  return label;
}

std::vector<std::size_t> component_sizes(const Graph& g, const NodeMask& mask) {
  std::vector<std::size_t> sizes;
  for (std::size_t label : component_labels(g, mask)) {
    if (label == kNoComponent) continue;
    if (label >= sizes.size()) sizes.resize(label + 1, 0);
    ++sizes[label];
  }
  std::sort(sizes.begin(), sizes.end(), std::greater<>());
  return sizes;
}

std::size_t active_ties(const Graph& g, const NodeMask& mask) {
  std::size_t count = 0;
  for (std::size_t v = 0; v < g.size(); ++v) {
    if (!is_active(mask, v)) continue;
    for (const Neighbour& nb : g.out(v))
      if (is_active(mask, nb.node) && (g.directed() || v < nb.node)) ++count;
  }
  return count;
}

double density(const Graph& g, const NodeMask& mask) {
  const auto n = static_cast<double>(active_count(g, mask));
  if (n < 2) return 0.0;
  const double possible = g.directed() ? n * (n - 1) : n * (n - 1) / 2;
  return static_cast<double>(active_ties(g, mask)) / possible;
}

double global_efficiency(const Graph& g, const NodeMask& mask) {
  const std::size_t n = active_count(g, mask);
  if (n < 2) return 0.0;
  std::vector<std::size_t> distance(g.size(), 0);
  std::vector<char> seen(g.size(), 0);
  std::vector<std::size_t> queue;
  double sum = 0.0;
  for (std::size_t s = 0; s < g.size(); ++s) {
    if (!is_active(mask, s)) continue;
    queue.assign(1, s);
    seen[s] = 1;
    distance[s] = 0;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::size_t v = queue[head];
      if (v != s) sum += 1.0 / static_cast<double>(distance[v]);
      for (const Neighbour& nb : g.out(v))
        if (is_active(mask, nb.node) && !seen[nb.node]) {
          seen[nb.node] = 1;
          distance[nb.node] = distance[v] + 1;
          queue.push_back(nb.node);
        }
    }
    for (std::size_t v : queue)
      seen[v] = 0;
  }
  return sum / (static_cast<double>(n) * static_cast<double>(n - 1));
}

double fragmentation(const Graph& g, const NodeMask& mask) {
  const auto n = static_cast<double>(active_count(g, mask));
  if (n < 2) return 0.0;
  double connected = 0.0;
  for (std::size_t s : component_sizes(g, mask))
    connected += static_cast<double>(s) * static_cast<double>(s - 1);
  return 1.0 - connected / (n * (n - 1));
}

namespace {

double freeman(const std::vector<double>& c, const NodeMask& mask, double maximum) {
  double top = 0.0;
  for (std::size_t v = 0; v < c.size(); ++v)
    if (is_active(mask, v)) top = std::max(top, c[v]);
  double sum = 0.0;
  for (std::size_t v = 0; v < c.size(); ++v)
    if (is_active(mask, v)) sum += top - c[v];
  return sum / maximum;
}

}  // namespace

double degree_centralisation(const Graph& g, const NodeMask& mask) {
  const std::size_t n = active_count(g, mask);
  if (n < 3) return 0.0;
  if (!g.directed()) return freeman(degree_centrality(g, mask), mask, static_cast<double>(n - 2));
  return freeman(degree_centrality(g.undirected(), mask), mask, static_cast<double>(n - 2));
}

double betweenness_centralisation(const Graph& g, const NodeMask& mask) {
  const std::size_t n = active_count(g, mask);
  if (n < 3) return 0.0;
  if (!g.directed())
    return freeman(betweenness_centrality(g, mask), mask, static_cast<double>(n - 1));
  return freeman(betweenness_centrality(g.undirected(), mask), mask, static_cast<double>(n - 1));
}

NetworkSummary summarise(const Graph& g, const NodeMask& mask) {
  NetworkSummary s;
  s.nodes = active_count(g, mask);
  s.ties = active_ties(g, mask);
  const std::vector<std::size_t> sizes = component_sizes(g, mask);
  s.components = sizes.size();
  s.largest_component = sizes.empty() ? 0 : sizes.front();
  s.density = density(g, mask);
  s.global_efficiency = global_efficiency(g, mask);
  s.degree_centralisation = degree_centralisation(g, mask);
  s.betweenness_centralisation = betweenness_centralisation(g, mask);
  return s;
}

}  // namespace interdict::graph
