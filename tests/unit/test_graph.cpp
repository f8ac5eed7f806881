// Network analysis: centralities against hand-worked values and published ones (Zachary's
// karate club), structure measures, targeting and fragmentation, and network file readers.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "graph/Centrality.hpp"
#include "graph/Structure.hpp"
#include "graph/Targeting.hpp"
#include "scenario/InputError.hpp"
#include "scenario/NetworkFile.hpp"

using namespace interdict::graph;
using interdict::scenario::InputError;
using interdict::scenario::NetworkFormat;
using interdict::scenario::read_network_file;

namespace {

Graph make(std::size_t n, std::vector<Tie> ties, bool directed = false) {
  return Graph(n, ties, directed);
}

/// 0-1-2-3.
Graph path4() {
  return make(4, {{0, 1}, {1, 2}, {2, 3}});
}

/// Two triangles {0,1,2} and {4,5,6} joined through node 3 (2-3-4).
Graph barbell() {
  return make(7, {{0, 1}, {0, 2}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {4, 6}, {5, 6}});
}

std::string data(const std::string& name) {
  return std::string(INTERDICT_SOURCE_DIR) + "/tests/data/networks/" + name;
}

/// A fresh directory under the system's temporary directory, removed with its files at the end.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    static int made = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("interdict-graph-" + std::to_string(::getpid()) + "-" + std::to_string(++made));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  /// The path of the file `name` in the directory.
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  /// Writes `text` to the file `name` in the directory and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("graphs merge repeated ties and drop self-loops", "[graph]") {
  const Graph g = make(3, {{0, 1, 1.0}, {1, 0, 2.0}, {1, 1, 5.0}, {1, 2, 1.0}});
  CHECK(g.tie_count() == 2);
  REQUIRE(g.out(0).size() == 1);
  CHECK(g.out(0)[0].weight == 3.0);  // both directions of an undirected tie add up
  const Graph d = make(3, {{0, 1}, {1, 0}, {1, 2}}, true);
  CHECK(d.tie_count() == 3);
  CHECK(d.in(2).size() == 1);
  CHECK(d.undirected().tie_count() == 2);
  CHECK_THROWS_AS(make(2, {{0, 2}}), std::out_of_range);
}

TEST_CASE("centralities of a path, worked by hand", "[graph]") {
  const Graph g = path4();
  // Degree / (n - 1).
  CHECK(degree_centrality(g) == std::vector<double>{1.0 / 3, 2.0 / 3, 2.0 / 3, 1.0 / 3});
  // Node 1 lies on the shortest paths 0-2 and 0-3: 2 of the 3 pairs not involving it.
  const auto b = betweenness_centrality(g);
  CHECK(b[0] == 0.0);
  CHECK(b[1] == Approx(2.0 / 3));
  CHECK(b[2] == Approx(2.0 / 3));
  CHECK(betweenness_centrality(g, {}, false, false)[1] == Approx(2.0));
  // Closeness: 3 / (1 + 2 + 3) and 3 / (1 + 1 + 2).
  const auto c = closeness_centrality(g);
  CHECK(c[0] == Approx(0.5));
  CHECK(c[1] == Approx(0.75));
  // Structure: 3 of 6 possible ties; efficiency (1 + 1/2 + 1/3 + 1 + 1/2 + 1) / 6.
  CHECK(density(g) == Approx(0.5));
  CHECK(global_efficiency(g) == Approx((1 + 0.5 + 1.0 / 3 + 1 + 0.5 + 1) / 6));
  CHECK(component_sizes(g) == std::vector<std::size_t>{4});
}

TEST_CASE("weights are lengths for betweenness and closeness", "[graph]") {
  // 0-1 (1), 1-2 (1), 0-2 (3): weighted, the short way from 0 to 2 runs through 1.
  const Graph g = make(3, {{0, 1, 1.0}, {1, 2, 1.0}, {0, 2, 3.0}});
  CHECK(betweenness_centrality(g, {}, false)[1] == 0.0);
  CHECK(betweenness_centrality(g, {}, true)[1] == Approx(1.0));
  CHECK(closeness_centrality(g, {}, true)[0] == Approx(2.0 / 3));  // 2 / (1 + 2)
}

TEST_CASE("directed betweenness and closeness follow the ties' directions", "[graph]") {
  const Graph g = make(3, {{0, 1}, {1, 2}}, true);
  const auto b = betweenness_centrality(g);
  CHECK(b[1] == Approx(0.5));  // 1 of (n-1)(n-2) = 2 ordered pairs
  const auto c = closeness_centrality(g);
  CHECK(c[0] == 0.0);                             // nothing reaches 0
  CHECK(c[2] == Approx(2.0 / 3 * 2.0 / 2));       // reached by 2 nodes at 1 + 2
  CHECK(degree_centrality(g)[1] == Approx(1.0));  // in + out
}

TEST_CASE("eigenvector and Katz centralities by power iteration", "[graph]") {
  const Graph triangle = make(3, {{0, 1}, {1, 2}, {0, 2}});
  for (double x : eigenvector_centrality(triangle))
    CHECK(x == Approx(1 / std::sqrt(3.0)).epsilon(1e-6));
  // Katz on 0-1-2 with alpha = 0.1: x1 / x0 = (1 + 2 alpha) / (1 + alpha) = 12 / 11.
  const auto k = katz_centrality(make(3, {{0, 1}, {1, 2}}));
  CHECK(k[1] / k[0] == Approx(12.0 / 11).epsilon(1e-6));
  CHECK(k[0] * k[0] + k[1] * k[1] + k[2] * k[2] == Approx(1.0));
  // Alpha above 1 / the largest eigenvalue (2 for a triangle) diverges: a clear error.
  CHECK_THROWS_AS(katz_centrality(triangle, {}, false, 0.6), ConvergenceError);
}

TEST_CASE("Zachary's karate club matches the published centralities", "[graph]") {
  const auto file = read_network_file(data("karate.csv"), std::nullopt, false);
  REQUIRE(file.graph.size() == 34);
  REQUIRE(file.graph.tie_count() == 78);
  const auto node = [&](int label) {
    for (std::size_t v = 0; v < file.labels.size(); ++v)
      if (file.labels[v] == std::to_string(label)) return v;
    FAIL("no node " << label);
    return std::size_t{0};
  };
  // Normalised betweenness (Brandes 2001 on Zachary 1977), as published with networkx and
  // igraph: node 0 0.4376, 33 0.3041, 32 0.1452, 2 0.1437, 31 0.1383.
  const auto b = betweenness_centrality(file.graph);
  const std::vector<std::pair<int, double>> published{
      {0, 0.43763528},  {33, 0.30407498}, {32, 0.14524711}, {2, 0.14365681},  {31, 0.13827561},
      {8, 0.05592683},  {1, 0.05393669},  {13, 0.0458634},  {19, 0.03247505}, {5, 0.02998737},
      {6, 0.02998737},  {27, 0.02233345}, {23, 0.01761364}, {30, 0.01441198}, {3, 0.01190927},
      {25, 0.00384049}, {29, 0.00292208}, {24, 0.0022096},  {28, 0.00179473}, {9, 0.00084776},
      {4, 0.00063131},  {10, 0.00063131}, {7, 0.0},         {11, 0.0}};
  for (const auto& [label, value] : published)
    CHECK(b[node(label)] == Approx(value).margin(5e-9));
  const auto c = closeness_centrality(file.graph);
  CHECK(c[node(0)] == Approx(0.56896552).margin(5e-9));
  CHECK(c[node(33)] == Approx(0.55).margin(5e-9));
  const auto e = eigenvector_centrality(file.graph);
  CHECK(e[node(33)] == Approx(0.37337121).margin(1e-6));
  CHECK(e[node(0)] == Approx(0.35548349).margin(1e-6));
  const auto k = katz_centrality(file.graph);
  CHECK(k[node(33)] == Approx(0.3314064).margin(1e-6));
}

TEST_CASE("global efficiency of small graphs matches hand computation", "[graph]") {
  // Path a-b-c: 1/d sums to 2 x (1 + 1 + 1/2) over 3 x 2 ordered pairs.
  const Graph path = make(3, {{0, 1}, {1, 2}});
  CHECK(global_efficiency(path) == Approx(5.0 / 6.0));
  CHECK(global_efficiency(make(3, {{0, 1}, {1, 2}, {0, 2}})) == Approx(1.0));
  // Removing the middle of the path disconnects the ends.
  CHECK(global_efficiency(path, {1, 0, 1}) == 0.0);
  CHECK(global_efficiency(path, {1, 0, 0}) == 0.0);
}

TEST_CASE("centralisation is 1 for a star and 0 for a cycle", "[graph]") {
  const Graph star = make(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}});
  CHECK(degree_centralisation(star) == Approx(1.0));
  CHECK(betweenness_centralisation(star) == Approx(1.0));
  const Graph cycle = make(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 0}});
  CHECK(degree_centralisation(cycle) == Approx(0.0).margin(1e-12));
  CHECK(betweenness_centralisation(cycle) == Approx(0.0).margin(1e-12));
}

TEST_CASE("removed nodes drop out of every measure", "[graph]") {
  const Graph g = barbell();
  NodeMask mask(7, 1);
  mask[3] = 0;
  CHECK(component_sizes(g, mask) == std::vector<std::size_t>{3, 3});
  CHECK(active_ties(g, mask) == 6);
  CHECK(fragmentation(g, mask) == Approx(1.0 - 12.0 / 30));
  CHECK(betweenness_centrality(g, mask)[3] == 0.0);
  const NetworkSummary s = summarise(g, mask);
  CHECK(s.nodes == 6);
  CHECK(s.components == 2);
  CHECK(s.largest_component == 3);
}

TEST_CASE("fragmentation curves on the barbell", "[graph]") {
  const Graph g = barbell();
  TargetingOptions o;
  SECTION("betweenness removes the bridge first") {
    o.strategy = Strategy::betweenness;
    const auto curve = fragmentation_curve(g, o, 1);
    REQUIRE(curve.size() == 1);
    CHECK(curve[0].node == 3);
    CHECK(curve[0].largest_component_fraction == Approx(3.0 / 7));
  }
  SECTION("degree removes the triangles' hubs, ties to the lower node") {
    o.strategy = Strategy::degree;
    const auto curve = fragmentation_curve(g, o);
    REQUIRE(curve.size() == 7);
    CHECK(curve[0].node == 2);
    CHECK(curve[0].largest_component_fraction == Approx(4.0 / 7));
    CHECK(curve[1].node == 4);
    CHECK(curve[1].largest_component_fraction == Approx(2.0 / 7));
    CHECK(curve.back().largest_component_fraction == 0.0);
  }
  SECTION("the key player removes the node that disconnects most pairs") {
    o.strategy = Strategy::key_player;
    const auto curve = fragmentation_curve(g, o, 1);
    CHECK(curve[0].node == 3);  // fragmentation 0.6, against 0.533 for node 2
  }
  SECTION("recomputing after each removal changes the ranking") {
    // A star 0-{1,2,3} with a tail 3-4-5-6. Betweenness: 0 and 3 lie on 9 paths each, 4 on 8.
    // Ranked once: 0, 3, 4. Recomputed: after 0 the tail 3-4-5-6 is alone, where 4 and 5 tie
    // (2 paths each, 4 first); after 4, no node is between others and the lowest goes: 1.
    const Graph h = make(7, {{0, 1}, {0, 2}, {0, 3}, {3, 4}, {4, 5}, {5, 6}});
    o.strategy = Strategy::betweenness;
    const auto once = choose_targets(h, {}, {}, 3, o);
    o.recompute = true;
    const auto again = choose_targets(h, {}, {}, 3, o);
    CHECK(once == std::vector<std::size_t>{0, 3, 4});
    CHECK(again == std::vector<std::size_t>{0, 4, 1});
  }
  SECTION("random targeting is reproducible for a seed") {
    o.strategy = Strategy::random;
    o.seed = 42;
    const auto a = choose_targets(g, {}, {}, 7, o);
    CHECK(a == choose_targets(g, {}, {}, 7, o));
    std::vector<std::size_t> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6});
  }
  SECTION("only eligible nodes are chosen") {
    o.strategy = Strategy::betweenness;
    NodeMask eligible(7, 0);
    eligible[0] = eligible[5] = 1;
    CHECK(choose_targets(g, {}, eligible, 5, o).size() == 2);
  }
}

TEST_CASE("network files: edge lists, adjacency matrices and GraphML", "[graph][input]") {
  SECTION("adjacency matrix with a byte-order mark and quoted corner") {
    const auto f = read_network_file(data("cielnet.csv"), std::nullopt, true);
    CHECK(f.format == NetworkFormat::adjacency);
    CHECK(f.graph.size() == 25);
    CHECK(f.labels.front() == "N1");
    CHECK(f.graph.directed());
  }
  SECTION("GraphML with attributes and weights") {
    const auto f = read_network_file(data("small.graphml"), std::nullopt, false);
    CHECK(f.format == NetworkFormat::graphml);
    CHECK(f.labels == std::vector<std::string>{"a", "b", "c", "d", "e"});
    CHECK(f.attributes[2].at("role") == "broker & lookout");
    CHECK(f.graph.tie_count() == 4);
    CHECK(f.graph.out(0)[0].weight == 2.5);
    CHECK(betweenness_centrality(f.graph)[2] == Approx(5.0 / 6));  // c: 5 of 6 pairs
  }
  SECTION("GraphML: references, entities, CDATA, comments, prefixes, key types and defaults") {
    const ScratchDirectory dir;
    const auto f = read_network_file(
        dir.write(
            "refs.graphml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<!DOCTYPE graphml [<!ENTITY cartel \"Los Zetas &amp; allies\">]>\n"
            "<!-- prefixed, with another namespace inside -->\n"
            "<g:graphml xmlns:g=\"http://graphml.graphdrawing.org/xmlns\"\n"
            "           xmlns:y=\"http://www.yworks.com/xml/graphml\">\n"
            "  <g:key id=\"r\" for=\"node\" attr.name=\"role\" attr.type=\"string\">\n"
            "    <g:default>transporter</g:default>\n"
            "  </g:key>\n"
            "  <g:key id=\"o\" for=\"node\" attr.name=\"organisation\"/>\n"
            "  <g:key id=\"w\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\">"
            "<g:default>2</g:default></g:key>\n"
            "  <g:key id=\"gfx\" for=\"node\" yfiles.type=\"nodegraphics\"/>\n"
            "  <g:graph id=\"G\" edgedefault=\"directed\">\n"
            "    <g:node id=\"caf&#233;\"><g:data key=\"r\">leader</g:data>"
            "<g:data key=\"o\">&cartel;</g:data></g:node>\n"
            "    <g:node id=\"&#x41;&#66;\">\n"
            "      <g:data key=\"o\"><![CDATA[<b>Golfo</b> & co]]></g:data>\n"
            "      <g:data key=\"gfx\"><y:ShapeNode><y:NodeLabel>AB</y:NodeLabel>"
            "</y:ShapeNode></g:data>\n"
            "    </g:node>\n"
            "    <g:edge source=\"caf\xC3\xA9\" target=\"AB\"><!-- tie --><g:data key=\"w\"> 3.5 "
            "</g:data></g:edge>\n"
            "    <g:edge source=\"AB\" target=\"caf&#xE9;\"/>\n"
            "  </g:graph>\n"
            "</g:graphml>\n"),
        std::nullopt, false);
    CHECK(f.labels == std::vector<std::string>{"caf\xC3\xA9", "AB"});
    CHECK(f.attributes[0] == std::map<std::string, std::string>{
                                 {"role", "leader"}, {"organisation", "Los Zetas & allies"}});
    // The default role; yEd's graphics (elements, not a value) are not an attribute.
    CHECK(f.attributes[1] == std::map<std::string, std::string>{
                                 {"role", "transporter"}, {"organisation", "<b>Golfo</b> & co"}});
    CHECK(f.graph.directed());
    REQUIRE(f.graph.tie_count() == 2);
    CHECK(f.graph.out(0)[0].weight == 3.5);
    CHECK(f.graph.out(1)[0].weight == 2.0);  // the key's default
  }
  SECTION("an edge list keeps the largest weight of a repeated tie") {
    const ScratchDirectory dir;
    const auto path = dir.write("repeat.csv", "a,b,2\nb,a,5\nb,c\n");
    const auto f = read_network_file(path, std::nullopt, false);
    CHECK(f.graph.tie_count() == 2);
    CHECK(f.graph.out(0)[0].weight == 5.0);
  }
}

TEST_CASE("bad network files name the file, line and column", "[graph][input]") {
  const ScratchDirectory dir;
  const auto error_of = [&dir](const std::string& name, const std::string& text,
                               std::optional<NetworkFormat> format = std::nullopt) {
    try {
      read_network_file(dir.write(name, text), format, false);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const auto at = [&dir](const std::string& name, const std::string& rest) {
    return dir.file(name) + rest;
  };
  CHECK(error_of("w.csv", "source,target,weight\na,b,1\nb,c,heavy\n") ==
        at("w.csv", ":3:5: weight \"heavy\" is not a positive number"));
  CHECK(error_of("cols.csv", "a,b\nb,c,1,2\n") ==
        at("cols.csv", ":2:1: expected 2 or 3 columns (source, target[, weight]), found 4"));
  CHECK(error_of("adj.csv", "\"\",x,y\nx,0,1\ny,1,-2\n") ==
        at("adj.csv", ":3:5: \"-2\" is not a non-negative number"));
  CHECK(error_of("rows.csv", "\"\",alpha,beta\nalpha,0,1\nbeto,1,0\n") ==
        at("rows.csv", ":3:1: row \"beto\" is not a node of the header (did you mean \"beta\"?)"));
  CHECK(error_of("short.csv", "\"\",x,y\nx,0,1\ny,1\n") ==
        at("short.csv", ":3:3: row has 1 values, expected 2"));
  CHECK(error_of("missing.csv", "\"\",x,y\nx,0,1\n") ==
        at("missing.csv", ":2:1: no row for node \"y\""));
  CHECK(error_of("q.csv", "\"a,b\n") == at("q.csv", ":1:1: unterminated quoted field"));
  // GraphML: libxml2 locates syntax errors by line and column, elements by line.
  CHECK(error_of("e.graphml",
                 "<graphml>\n<graph edgedefault=\"undirected\">\n<node id=\"a\"/>\n"
                 "  <edge source=\"a\" target=\"b\"/>\n</graph></graphml>\n") ==
        at("e.graphml", ":4: edge names node \"b\", which is not defined (did you mean \"a\"?)"));
  CHECK(error_of("t.graphml", "<graphml>\n<graph>\n<node id=\"a\"\n") ==
        at("t.graphml", ":4:1: malformed XML: Couldn't find end of Start Tag node"));
  CHECK(error_of("m.graphml", "<graphml>\n<graph>\n  <node id=\"a\">\n  </edge>\n</graph>\n") ==
        at("m.graphml",
           ":4:10: malformed XML: Opening and ending tag mismatch: node line 3 and edge"));
  CHECK(error_of("u.graphml", "<graphml>\n<graph>\n<node id=\"a&nope;\"/>\n</graph></graphml>\n") ==
        at("u.graphml", ":3:18: malformed XML: Entity 'nope' not defined"));
  CHECK_THAT(error_of("x.graphml", "just text\n"),
             Catch::StartsWith(at("x.graphml", ":1:1: malformed XML: ")));
  CHECK(error_of("h.graphml", "<html>\n<graph/></html>\n") ==
        at("h.graphml",
           ":1: not a GraphML document: the root element is <html>, not GraphML's "
           "<graphml>"));
  CHECK(error_of("n.graphml", "<graphml xmlns=\"urn:x\"><graph/></graphml>\n") ==
        at("n.graphml",
           ":1: not a GraphML document: the root element is <graphml> in namespace "
           "urn:x, not GraphML's <graphml>"));
  CHECK(error_of("g.graphml", "<graphml/>\n") ==
        at("g.graphml", ": not a GraphML document: no <graph> element"));
  CHECK(error_of("i.graphml",
                 "<graphml><key id=\"a\" for=\"node\" attr.name=\"age\" attr.type=\"int\"/>\n"
                 "<graph><node id=\"x\">\n<data key=\"a\">old</data></node></graph></graphml>\n") ==
        at("i.graphml", ":3: \"old\" is not a GraphML int (key \"a\", age)"));
  CHECK(error_of("none.csv", "# nothing\n") == at("none.csv", ": the network has no nodes"));
  CHECK_THROWS_WITH(read_network_file("no/such/file.csv", std::nullopt, false),
                    "no/such/file.csv: cannot open the network file: no such file");
}

TEST_CASE("GraphML reads nothing outside its file and bounds entity expansion", "[graph][input]") {
  const ScratchDirectory dir;
  const std::string secret = dir.write("secret.txt", "classified");
  const std::string dtd = dir.write("graphml.dtd", "<!ENTITY leak \"classified\">\n");
  const auto graphml = [](const std::string& doctype, const std::string& role) {
    return "<?xml version=\"1.0\"?>\n" + doctype +
           "\n<graphml><key id=\"r\" for=\"node\" attr.name=\"role\"/><graph>\n"
           "<node id=\"a\"><data key=\"r\">" +
           role + "</data></node>\n</graph></graphml>\n";
  };
  const auto read = [&dir](const std::string& text) {
    return read_network_file(dir.write("n.graphml", text), std::nullopt, false);
  };
  SECTION("an external DTD is not read, so its entities are unknown") {
    const std::string http =
        "<!DOCTYPE graphml SYSTEM \"http://graphml.graphdrawing.org/dtds/graphml.dtd\">";
    CHECK(read(graphml(http, "leader")).attributes[0].at("role") == "leader");
    CHECK_THROWS_WITH(read(graphml("<!DOCTYPE graphml SYSTEM \"" + dtd + "\">", "&leak;")),
                      Catch::EndsWith(":4:34: malformed XML: Entity 'leak' not defined"));
  }
  SECTION("an external entity is not read") {
    CHECK_THROWS_WITH(
        read(graphml("<!DOCTYPE graphml [<!ENTITY s SYSTEM \"file://" + secret + "\">]>", "&s;")),
        Catch::EndsWith(":4: entity &s; is external or not declared (external DTDs and "
                        "entities are not read)"));
  }
  SECTION("billion laughs") {
    std::string doctype = "<!DOCTYPE graphml [<!ENTITY l0 \"lol\">";
    for (int i = 1; i <= 9; ++i) {
      doctype += "<!ENTITY l" + std::to_string(i) + " \"";
      for (int k = 0; k < 10; ++k)
        doctype += "&l" + std::to_string(i - 1) + ";";
      doctype += "\">";
    }
    CHECK_THROWS_WITH(read(graphml(doctype + "]>", "&l9;")),
                      Catch::Contains("malformed XML: Detected an entity reference loop"));
  }
  SECTION("a large entity referenced many times") {
    std::string refs;
    for (int k = 0; k < 400; ++k)
      refs += "&big;";
    CHECK_THROWS_WITH(
        read(graphml("<!DOCTYPE graphml [<!ENTITY big \"" + std::string(10'000, 'x') + "\">]>",
                     refs)),
        Catch::EndsWith(":4: entities expand to more than ten times the size of the file"));
  }
}
