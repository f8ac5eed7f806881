// NetworkFile: reading social or communication networks from edge-list CSV, labelled
// adjacency-matrix CSV and GraphML files, with located errors.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/Graph.hpp"

namespace interdict::scenario {

enum class NetworkFormat { edgelist, adjacency, graphml };
inline constexpr std::string_view kNetworkFormatNames[] = {"edgelist", "adjacency", "graphml"};

/// The format named `name` ("edgelist", "adjacency", "graphml"), if any.
std::optional<NetworkFormat> network_format_named(std::string_view name);

/// A network read from a file: node labels in file order, per-node attributes (GraphML
/// data, by attribute name) and the graph. Ties carry their weights (1 when the file has none).
struct NetworkFile {
  std::string path;
  NetworkFormat format = NetworkFormat::edgelist;
  std::vector<std::string> labels;
  std::vector<std::map<std::string, std::string>> attributes;
  graph::Graph graph;
};

/// Reads a network file. Without a format, GraphML is recognised by its extension (.graphml,
/// .xml) and a CSV whose first cell is empty ("" or nothing) is an adjacency matrix, else an
/// edge list. Undirected unless `directed` (GraphML: or its edgedefault says directed).
/// A tie listed more than once (in either direction when undirected) keeps its largest weight.
/// Throws InputError with the file, line and column of the first problem.
NetworkFile read_network_file(const std::string& path, std::optional<NetworkFormat> format,
                              bool directed);

/// A node table (CSV with a header row whose first column is the node id): per id, the other
/// columns by header name. Throws InputError on a malformed or duplicate row.
std::map<std::string, std::map<std::string, std::string>> read_node_table(const std::string& path);

}  // namespace interdict::scenario
