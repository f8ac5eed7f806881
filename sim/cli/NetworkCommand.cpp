// NetworkCommand: `interdict network`, the network analysis the simulation uses, on a file.
#include <iomanip>
#include <ostream>

#include "cli/Commands.hpp"
#include "cli/Json.hpp"
#include "graph/Centrality.hpp"
#include "graph/Structure.hpp"
#include "graph/Targeting.hpp"
#include "scenario/InputError.hpp"
#include "scenario/NetworkFile.hpp"

namespace interdict::cli {

namespace {

template <class Names>
std::string choices(const Names& names) {
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

/// Sets `chosen` to the enumerator named `value` (if given); false, with a message, if none is.
template <class Names, class Enum>
bool choose(const char* option, const char* what, const std::string& value, const Names& names,
            std::optional<Enum>& chosen, std::ostream& err) {
  if (value.empty()) return true;
  for (std::size_t i = 0; i < std::size(names); ++i)
    if (names[i] == value) chosen = static_cast<Enum>(i);
  if (chosen) return true;
  err << "error: " << option << ": unknown " << what << " \"" << value << "\"; one of "
      << choices(names) << "\n";
  return false;
}

void print_summary(std::ostream& out, const scenario::NetworkFile& file, bool json) {
  const graph::Graph& g = file.graph;
  const graph::NetworkSummary s = graph::summarise(g);
  const std::vector<std::size_t> sizes = graph::component_sizes(g);
  if (json) {
    Json summary;
    summary["file"] = file.path;
    summary["directed"] = g.directed();
    summary["nodes"] = s.nodes;
    summary["ties"] = s.ties;
    summary["components"] = s.components;
    summary["component_sizes"] = sizes;
    summary["largest_component"] = s.largest_component;
    summary["density"] = s.density;
    summary["global_efficiency"] = s.global_efficiency;
    summary["degree_centralisation"] = s.degree_centralisation;
    summary["betweenness_centralisation"] = s.betweenness_centralisation;
    print_json(out, summary);
    return;
  }
  out << file.path << " (" << scenario::kNetworkFormatNames[static_cast<int>(file.format)] << ", "
      << (g.directed() ? "directed" : "undirected") << ")\n"
      << "  nodes                       " << s.nodes << "\n"
      << "  ties                        " << s.ties << "\n"
      << "  components                  " << s.components << " (sizes";
  for (std::size_t i = 0; i < sizes.size() && i < 10; ++i)
    out << " " << sizes[i];
  if (sizes.size() > 10) out << " ...";
  out << ")\n"
      << std::setprecision(4) << "  largest component           " << s.largest_component << " ("
      << 100.0 * static_cast<double>(s.largest_component) / static_cast<double>(s.nodes)
      << "% of nodes)\n"
      << "  density                     " << s.density << "\n"
      << "  global efficiency           " << s.global_efficiency << "\n"
      << "  degree centralisation       " << s.degree_centralisation << "\n"
      << "  betweenness centralisation  " << s.betweenness_centralisation << "\n";
}

void print_measure(std::ostream& out, const scenario::NetworkFile& file, const std::string& name,
                   const std::vector<double>& values, bool json) {
  if (json) {
    Json by_node = Json::object();
    for (std::size_t v = 0; v < values.size(); ++v)
      by_node[file.labels[v]] = values[v];
    print_json(out, Json{{"measure", name}, {"values", by_node}});
    return;
  }
  out << "node\t" << name << "\n" << std::setprecision(10);
  for (std::size_t v = 0; v < values.size(); ++v)
    out << file.labels[v] << "\t" << values[v] << "\n";
}

void print_curve(std::ostream& out, const scenario::NetworkFile& file, const std::string& name,
                 const std::vector<graph::RemovalStep>& curve, bool json) {
  if (json) {
    Json steps = Json::array();
    for (const graph::RemovalStep& step : curve)
      steps.push_back(Json{{"removed", file.labels[step.node]},
                           {"largest_component_fraction", step.largest_component_fraction}});
    print_json(out, Json{{"strategy", name}, {"steps", steps}});
    return;
  }
  out << "step\tremoved\tlargest_component_fraction\n" << std::setprecision(6);
  out << 0 << "\t-\t"
      << (file.graph.size() ? static_cast<double>(graph::component_sizes(file.graph).front()) /
                                  static_cast<double>(file.graph.size())
                            : 0.0)
      << "\n";
  for (std::size_t i = 0; i < curve.size(); ++i)
    out << i + 1 << "\t" << file.labels[curve[i].node] << "\t"
        << curve[i].largest_component_fraction << "\n";
}

}  // namespace

int network_command(const NetworkCommandOptions& options, std::ostream& out, std::ostream& err) {
  std::optional<scenario::NetworkFormat> format;
  std::optional<graph::Measure> measure;
  std::optional<graph::Strategy> strategy;
  if (!choose("--format", "format", options.format, scenario::kNetworkFormatNames, format, err) ||
      !choose("--measure", "measure", options.measure, graph::kMeasureNames, measure, err) ||
      !choose("--fragmentation", "strategy", options.fragmentation, graph::kStrategyNames, strategy,
              err))
    return kBadInput;
  if (measure && strategy) {
    err << "error: --measure and --fragmentation cannot be combined; run twice\n";
    return kBadInput;
  }
  scenario::NetworkFile file;
  try {
    file = scenario::read_network_file(options.file, format, options.directed);
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  }
  graph::CentralityOptions centrality;
  centrality.weighted = options.weighted;
  centrality.katz_alpha = options.katz_alpha;
  try {
    if (measure) {
      print_measure(out, file, options.measure,
                    graph::centrality(file.graph, *measure, {}, centrality), options.json);
    } else if (strategy) {
      graph::TargetingOptions targeting;
      targeting.strategy = *strategy;
      targeting.recompute = options.recompute;
      targeting.centrality = centrality;
      targeting.seed = options.seed;
      print_curve(out, file, options.fragmentation,
                  graph::fragmentation_curve(file.graph, targeting), options.json);
    } else {
      print_summary(out, file, options.json);
    }
  } catch (const graph::ConvergenceError& e) {
    err << "error: " << options.file << ": " << e.what() << "\n";
    return kRuntimeFailure;
  }
  return kOk;
}

}  // namespace interdict::cli
