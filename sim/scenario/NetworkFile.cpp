// NetworkFile: CSV and GraphML network readers.
#include "scenario/NetworkFile.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <sstream>
#include <unordered_map>
#include <utility>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "scenario/InputError.hpp"
#include "scenario/InputFile.hpp"

namespace interdict::scenario {

namespace {

/// One CSV field and the 1-based column where it starts.
struct Field {
  std::string text;
  int column;
};

/// Splits a CSV line (RFC 4180 quoting, no newlines inside quotes).
std::vector<Field> split_csv(const std::string& line, const std::string& path, int line_number) {
  std::vector<Field> fields;
  std::size_t i = 0;
  while (true) {
    Field f{"", static_cast<int>(i) + 1};
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size())
          throw InputError(path, line_number, f.column, "", "unterminated quoted field");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            f.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        f.text += line[i++];
      }
      if (i < line.size() && line[i] != ',')
        throw InputError(path, line_number, static_cast<int>(i) + 1, "",
                         "unexpected text after a quoted field");
    } else {
      while (i < line.size() && line[i] != ',')
        f.text += line[i++];
      while (!f.text.empty() && std::isspace(static_cast<unsigned char>(f.text.back())))
        f.text.pop_back();
      const auto first = f.text.find_first_not_of(" \t");
      f.text = first == std::string::npos ? "" : f.text.substr(first);
    }
    fields.push_back(std::move(f));
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return fields;
}

std::optional<double> parse_number(const std::string& text) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

/// Lines of a text file without line endings and a leading UTF-8 byte-order mark.
std::vector<std::string> read_lines(const std::string& path, std::string_view what) {
  const std::string text = read_input_file(path, kMaxNetworkFileBytes, what);
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  if (!lines.empty() && lines[0].rfind("\xEF\xBB\xBF", 0) == 0) lines[0].erase(0, 3);
  return lines;
}

bool skippable(const std::string& line) {
  const auto first = line.find_first_not_of(" \t");
  return first == std::string::npos || line[first] == '#';
}

/// Collects labelled ties, keeping the largest weight of repeated ones.
class TieCollector {
 public:
  explicit TieCollector(bool directed) : directed_(directed) {}

  std::size_t node(const std::string& label) {
    const auto [it, added] = index_.emplace(label, labels.size());
    if (added) labels.push_back(label);
    return it->second;
  }
  void add(std::size_t from, std::size_t to, double weight) {
    if (!directed_ && from > to) std::swap(from, to);
    const auto [it, added] = weight_.emplace(std::pair{from, to}, weight);
    if (!added) it->second = std::max(it->second, weight);
  }
  graph::Graph build() const {
    std::vector<graph::Tie> ties;
    for (const auto& [ends, w] : weight_)
      ties.push_back({ends.first, ends.second, w});
    return graph::Graph(labels.size(), ties, directed_);
  }
  bool known(const std::string& label) const { return index_.count(label) > 0; }

  std::vector<std::string> labels;

 private:
  bool directed_;
  std::unordered_map<std::string, std::size_t> index_;
  std::map<std::pair<std::size_t, std::size_t>, double> weight_;
};

bool header_name(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* name : {"source", "target", "from", "to", "node1", "node2", "weight"})
    if (text == name) return true;
  return false;
}

NetworkFile read_edgelist(const std::string& path, const std::vector<std::string>& lines,
                          bool directed) {
  TieCollector ties(directed);
  bool first = true;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (skippable(lines[i])) continue;
    const int line = static_cast<int>(i) + 1;
    const std::vector<Field> f = split_csv(lines[i], path, line);
    if (first) {
      first = false;
      if (header_name(f[0].text) || (f.size() > 1 && header_name(f[1].text))) continue;
    }
    if (f.size() < 2 || f.size() > 3)
      throw InputError(
          path, line, 1, "",
          "expected 2 or 3 columns (source, target[, weight]), found " + std::to_string(f.size()));
    for (std::size_t c = 0; c < 2; ++c)
      if (f[c].text.empty()) throw InputError(path, line, f[c].column, "", "empty node label");
    double weight = 1.0;
    if (f.size() == 3) {
      const auto w = parse_number(f[2].text);
      if (!w || *w <= 0)
        throw InputError(path, line, f[2].column, "",
                         "weight \"" + f[2].text + "\" is not a positive number");
      weight = *w;
    }
    const std::size_t a = ties.node(f[0].text);
    const std::size_t b = ties.node(f[1].text);
    if (a == b) continue;  // self-loops carry no network information here
    ties.add(a, b, weight);
  }
  NetworkFile out;
  out.graph = ties.build();
  out.labels = ties.labels;
  return out;
}

NetworkFile read_adjacency(const std::string& path, const std::vector<std::string>& lines,
                           bool directed) {
  std::size_t i = 0;
  while (i < lines.size() && skippable(lines[i]))
    ++i;
  if (i == lines.size()) throw InputError(path, 1, 1, "", "empty adjacency matrix");
  const std::vector<Field> header = split_csv(lines[i], path, static_cast<int>(i) + 1);
  const std::size_t n = header.size() - 1;
  TieCollector ties(directed);
  for (std::size_t c = 1; c < header.size(); ++c) {
    if (header[c].text.empty())
      throw InputError(path, static_cast<int>(i) + 1, header[c].column, "", "empty node label");
    if (ties.known(header[c].text))
      throw InputError(path, static_cast<int>(i) + 1, header[c].column, "",
                       "node \"" + header[c].text + "\" appears twice in the header");
    ties.node(header[c].text);
  }
  std::vector<char> seen_row(n, 0);
  for (++i; i < lines.size(); ++i) {
    if (skippable(lines[i])) continue;
    const int line = static_cast<int>(i) + 1;
    const std::vector<Field> f = split_csv(lines[i], path, line);
    if (!ties.known(f[0].text))
      throw InputError(path, line, 1, "",
                       "row \"" + f[0].text + "\" is not a node of the header" +
                           did_you_mean(f[0].text, ties.labels));
    const std::size_t row = ties.node(f[0].text);
    if (seen_row[row])
      throw InputError(path, line, 1, "", "row \"" + f[0].text + "\" appears twice");
    seen_row[row] = 1;
    if (f.size() != n + 1)
      throw InputError(
          path, line, f.back().column, "",
          "row has " + std::to_string(f.size() - 1) + " values, expected " + std::to_string(n));
    for (std::size_t c = 1; c < f.size(); ++c) {
      const auto value = parse_number(f[c].text);
      if (!value || *value < 0)
        throw InputError(path, line, f[c].column, "",
                         "\"" + f[c].text + "\" is not a non-negative number");
      if (*value > 0 && row != c - 1) ties.add(row, c - 1, *value);
    }
  }
  for (std::size_t r = 0; r < n; ++r)
    if (!seen_row[r])
      throw InputError(path, static_cast<int>(lines.size()), 1, "",
                       "no row for node \"" + ties.labels[r] + "\"");
  NetworkFile out;
  out.graph = ties.build();
  out.labels = ties.labels;
  return out;
}

/// `text` without the XML white space around it.
std::string_view trim_xml_space(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// Whether the whole of `text` reads as a T.
template <class T>
bool reads_as(std::string_view text) {
  T value{};
  const auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && stop == text.data() + text.size();
}

/// Whether `type` is one of GraphML's attr.type values.
bool known_graphml_type(const std::string& type) {
  for (const char* name : {"boolean", "int", "long", "float", "double", "string"})
    if (type == name) return true;
  return false;
}

/// Whether `text` reads as a value of the GraphML type `type` (XML Schema's lexical forms,
/// white space around them allowed).
bool valid_graphml_value(const std::string& type, std::string_view text) {
  text = trim_xml_space(text);
  if (type == "string") return true;
  if (type == "boolean") {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower == "true" || lower == "false" || lower == "1" || lower == "0";
  }
  if (text.starts_with('+')) text.remove_prefix(1);
  if (type == "int") return reads_as<int>(text);
  if (type == "long") return reads_as<long long>(text);
  return reads_as<double>(text);  // float, double: INF, -INF and NaN included
}

/// GraphML's namespace. Elements in no namespace count as GraphML too: many files omit it.
constexpr const char* kGraphmlNamespace = "http://graphml.graphdrawing.org/xmlns";

/// Internal entities may nest this deep (libxml2's own limit without XML_PARSE_HUGE).
constexpr int kMaxEntityDepth = 40;

/// A libxml2 string as text (UTF-8; null reads as empty).
const char* chars(const xmlChar* s) {
  return s ? reinterpret_cast<const char*>(s) : "";
}

/// Whether `node` is the GraphML element `name`.
bool is_graphml(const xmlNode& node, const char* name) {
  return node.type == XML_ELEMENT_NODE && std::strcmp(chars(node.name), name) == 0 &&
         (node.ns == nullptr || std::strcmp(chars(node.ns->href), kGraphmlNamespace) == 0);
}

/// A cursor over the elements of an XML document, read by libxml2's streaming xmlTextReader,
/// so character and entity references, CDATA, comments and namespaces follow the standard.
/// Nothing outside the document is read: no DTD, no external entity, no network. Internal
/// entities are expanded here within a budget of ten times the file, as the parser itself does
/// when it substitutes them, against "billion laughs" and quadratic blow-ups. Errors are
/// InputErrors at the parser's line and column, or at the line of the element concerned.
class XmlCursor {
 public:
  XmlCursor(std::string path, std::string text)
      : path_(std::move(path)),
        text_(std::move(text)),
        entity_budget_(10 * text_.size() + (std::size_t{1} << 20)) {
    // libxml2 must be initialised once before threads use it.
    [[maybe_unused]] static const bool initialised = [] {
      xmlInitParser();
      return true;
    }();
    if (text_.size() > static_cast<std::size_t>(INT_MAX))
      throw InputError(path_, 0, 0, "", "the network file is too large for the XML reader");
    reader_ = xmlReaderForMemory(text_.data(), static_cast<int>(text_.size()), path_.c_str(),
                                 nullptr, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    if (reader_ == nullptr) throw InputError(path_, 0, 0, "", "cannot start the XML reader");
    xmlTextReaderSetStructuredErrorHandler(reader_, on_error, this);
  }
  ~XmlCursor() { xmlFreeTextReader(reader_); }
  XmlCursor(const XmlCursor&) = delete;
  XmlCursor& operator=(const XmlCursor&) = delete;

  /// Moves to the next start tag, past the contents of the current element if it was taken;
  /// false at the end of the document.
  bool next() {
    int status = taken_ ? xmlTextReaderNext(reader_) : xmlTextReaderRead(reader_);
    taken_ = false;
    while (status == 1 && xmlTextReaderNodeType(reader_) != XML_READER_TYPE_ELEMENT)
      status = xmlTextReaderRead(reader_);
    check(status >= 0);
    return status == 1;
  }

  /// Depth of the current element: 0 for the root.
  int depth() const { return xmlTextReaderDepth(reader_); }

  /// The current element with its attributes, not yet its contents.
  const xmlNode& element() const { return *xmlTextReaderCurrentNode(reader_); }

  /// The current element with its contents, read in full; next() then moves past them.
  const xmlNode& take() {
    const xmlNode* node = xmlTextReaderExpand(reader_);
    check(node != nullptr);
    taken_ = true;
    return *node;
  }

  /// Line of an element's start tag (of its end, when the tag spans lines).
  static int line(const xmlNode& element) { return static_cast<int>(xmlGetLineNo(&element)); }

  /// The value of an attribute without a namespace prefix (GraphML's own), if present.
  std::optional<std::string> attribute(const xmlNode& element, const char* name) {
    for (const xmlAttr* a = element.properties; a != nullptr; a = a->next) {
      if (a->ns != nullptr || std::strcmp(chars(a->name), name) != 0) continue;
      std::string value;
      append_text(a->children, value, 0, line(element));
      return value;
    }
    return std::nullopt;
  }

  /// The character data directly inside an element: text, CDATA and entities.
  std::string text(const xmlNode& element) {
    std::string value;
    append_text(element.children, value, 0, line(element));
    return value;
  }

  [[noreturn]] void fail(int line, const std::string& message) const {
    throw InputError(path_, line, 0, "", message);
  }

 private:
  struct Problem {
    int line = 0;
    int column = 0;
    std::string message;
  };

  static void on_error(void* self, xmlErrorPtr error) {
    if (error == nullptr || error->level < XML_ERR_ERROR) return;  // warnings are not failures
    auto& cursor = *static_cast<XmlCursor*>(self);
    std::string message = error->message ? error->message : "unknown error";
    std::replace(message.begin(), message.end(), '\n', ' ');
    while (!message.empty() && message.back() == ' ')
      message.pop_back();
    // Errors inside entity text come without a file; their lines are not the document's.
    const bool located = error->file != nullptr;
    Problem problem{located ? error->line : 0, located ? error->int2 : 0, std::move(message)};
    if (!cursor.problem_ || (located && cursor.problem_->line == 0)) cursor.problem_ = problem;
  }

  /// Throws the parser's first error, if any, or a generic one when `ok` is false.
  void check(bool ok) const {
    if (problem_)
      throw InputError(path_, problem_->line, problem_->column, "",
                       "malformed XML: " + problem_->message);
    if (!ok)
      throw InputError(path_, xmlTextReaderGetParserLineNumber(reader_),
                       xmlTextReaderGetParserColumnNumber(reader_), "", "malformed XML");
  }

  void append_text(const xmlNode* first, std::string& out, int depth, int line) {
    for (const xmlNode* n = first; n != nullptr; n = n->next) {
      const std::size_t before = out.size();
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        out += chars(n->content);
      } else if (n->type == XML_ENTITY_REF_NODE) {
        append_entity(*n, out, depth, line);
      }  // comments and processing instructions hold no data; elements are the caller's
      if (depth == 0) continue;
      // Inside an entity, every node and byte counts, so that even empty entities nested
      // a thousand-fold cannot make this loop run away.
      const std::size_t cost = out.size() - before + 1;
      if (cost > entity_budget_)
        fail(line, "entities expand to more than ten times the size of the file");
      entity_budget_ -= cost;
    }
  }

  void append_entity(const xmlNode& reference, std::string& out, int depth, int line) {
    const xmlEntity* entity = xmlGetDocEntity(reference.doc, reference.name);
    if (entity == nullptr || (entity->etype != XML_INTERNAL_GENERAL_ENTITY &&
                              entity->etype != XML_INTERNAL_PREDEFINED_ENTITY))
      fail(line, std::string("entity &") + chars(reference.name) +
                     "; is external or not declared (external DTDs and entities are not read)");
    if (entity->etype == XML_INTERNAL_PREDEFINED_ENTITY) {
      out += chars(entity->content);
      return;
    }
    if (depth >= kMaxEntityDepth)
      fail(line, std::string("entity &") + chars(reference.name) + "; nests too deeply");
    append_text(entity->children, out, depth + 1, line);
  }

  std::string path_;
  std::string text_;
  std::size_t entity_budget_;
  xmlTextReaderPtr reader_ = nullptr;
  bool taken_ = false;
  std::optional<Problem> problem_;
};

/// The state of reading one GraphML document: its keys, nodes and edges so far.
class GraphmlReader {
 public:
  GraphmlReader(const std::string& path, bool directed)
      : xml_(path, read_input_file(path, kMaxNetworkFileBytes, "network file")),
        directed_(directed) {}

  NetworkFile read() {
    while (xml_.next()) {
      const xmlNode& element = xml_.element();
      if (xml_.depth() == 0) {
        check_root(element);
      } else if (is_graphml(element, "key")) {
        read_key(xml_.take());
      } else if (is_graphml(element, "graph")) {
        read_graph(element);
      } else if (is_graphml(element, "node")) {
        read_node(xml_.take());
      } else if (is_graphml(element, "edge")) {
        read_edge(xml_.take());
      } else if (is_graphml(element, "hyperedge")) {
        xml_.fail(XmlCursor::line(element), "hyperedges are not supported");
      }
    }
    if (!saw_graph_) xml_.fail(0, "not a GraphML document: no <graph> element");
    return network();
  }

 private:
  /// A GraphML <key>: the attribute name, domain, type and default value it declares.
  struct Key {
    std::string name;
    std::string domain;
    std::string type;
    std::optional<std::string> default_value;
  };
  struct PendingEdge {
    std::string source, target;
    double weight;
    int line;
  };

  void check_root(const xmlNode& root) {
    if (is_graphml(root, "graphml")) return;
    xml_.fail(XmlCursor::line(root),
              std::string("not a GraphML document: the root element is <") + chars(root.name) +
                  ">" + (root.ns ? std::string(" in namespace ") + chars(root.ns->href) : "") +
                  ", not GraphML's <graphml>");
  }

  void read_key(const xmlNode& element) {
    const int line = XmlCursor::line(element);
    const auto id = xml_.attribute(element, "id");
    if (!id) xml_.fail(line, "<key> without an id");
    Key key{xml_.attribute(element, "attr.name").value_or(*id),
            xml_.attribute(element, "for").value_or("all"),
            xml_.attribute(element, "attr.type").value_or("string"), std::nullopt};
    if (!known_graphml_type(key.type))
      xml_.fail(line, "key \"" + *id + "\": attr.type \"" + key.type +
                          "\" is not one of boolean, int, long, float, double, string");
    for (const xmlNode* child = element.children; child != nullptr; child = child->next) {
      if (!is_graphml(*child, "default")) continue;
      key.default_value = xml_.text(*child);
      if (!valid_graphml_value(key.type, *key.default_value))
        xml_.fail(XmlCursor::line(*child), "key \"" + *id + "\": default \"" + *key.default_value +
                                               "\" is not a GraphML " + key.type);
      if (key.name == "weight" && key.domain != "node")
        default_weight_ = edge_weight(*key.default_value, XmlCursor::line(*child));
    }
    if (!keys_.emplace(*id, std::move(key)).second)
      xml_.fail(line, "key \"" + *id + "\" is declared twice");
  }

  void read_graph(const xmlNode& element) {
    const int line = XmlCursor::line(element);
    if (saw_graph_) xml_.fail(line, "more than one <graph>: nested graphs are not supported");
    saw_graph_ = true;
    const std::string edgedefault = xml_.attribute(element, "edgedefault").value_or("undirected");
    if (edgedefault != "directed" && edgedefault != "undirected")
      xml_.fail(line, "edgedefault \"" + edgedefault + "\" is not directed or undirected");
    file_directed_ = edgedefault == "directed";
  }

  void read_node(const xmlNode& element) {
    const int line = XmlCursor::line(element);
    if (!saw_graph_) xml_.fail(line, "<node> outside a <graph>");
    const auto id = xml_.attribute(element, "id");
    if (!id) xml_.fail(line, "<node> without an id");
    if (!index_.emplace(*id, labels_.size()).second)
      xml_.fail(line, "node \"" + *id + "\" is defined twice");
    labels_.push_back(*id);
    auto& values = attributes_.emplace_back();
    for (auto& [name, value] : data_of(element))
      values[name] = std::move(value.first);
    for (const auto& [key_id, key] : keys_)
      if (key.default_value && (key.domain == "node" || key.domain == "all"))
        values.emplace(key.name, *key.default_value);
  }

  void read_edge(const xmlNode& element) {
    const int line = XmlCursor::line(element);
    if (!saw_graph_) xml_.fail(line, "<edge> outside a <graph>");
    const auto source = xml_.attribute(element, "source");
    const auto target = xml_.attribute(element, "target");
    if (!source) xml_.fail(line, "<edge> without a source");
    if (!target) xml_.fail(line, "<edge> without a target");
    if (const auto d = xml_.attribute(element, "directed");
        d && *d != (file_directed_ ? "true" : "false"))
      xml_.fail(line, "directed=\"" + *d + "\" in a graph whose edgedefault is " +
                          (file_directed_ ? "directed" : "undirected") +
                          ": mixed graphs are not supported");
    double weight = default_weight_;
    const auto values = data_of(element);
    if (const auto w = values.find("weight"); w != values.end())
      weight = edge_weight(w->second.first, w->second.second);
    edges_.push_back({*source, *target, weight, line});
  }

  /// The <data> children of a node or an edge, by attribute name. Data holding elements rather
  /// than text (yEd's graphics, say) is not an attribute value and is left out.
  std::map<std::string, std::pair<std::string, int>> data_of(const xmlNode& element) {
    std::map<std::string, std::pair<std::string, int>> values;
    for (const xmlNode* child = element.children; child != nullptr; child = child->next) {
      if (is_graphml(*child, "graph"))
        xml_.fail(XmlCursor::line(*child), "nested graphs are not supported");
      if (!is_graphml(*child, "data")) continue;
      const int line = XmlCursor::line(*child);
      const auto id = xml_.attribute(*child, "key");
      if (!id) xml_.fail(line, "<data> without a key");
      bool structured = false;
      for (const xmlNode* n = child->children; n != nullptr; n = n->next)
        structured = structured || n->type == XML_ELEMENT_NODE;
      if (structured) continue;
      std::string value = xml_.text(*child);
      const auto key = keys_.find(*id);
      if (key == keys_.end()) {
        values[*id] = {std::move(value), line};
        continue;
      }
      if (!valid_graphml_value(key->second.type, value))
        xml_.fail(line, "\"" + value + "\" is not a GraphML " + key->second.type + " (key \"" +
                            *id + "\", " + key->second.name + ")");
      values[key->second.name] = {std::move(value), line};
    }
    return values;
  }

  double edge_weight(const std::string& text, int line) {
    const auto w = parse_number(std::string(trim_xml_space(text)));
    if (!w || *w <= 0) xml_.fail(line, "edge weight \"" + text + "\" is not a positive number");
    return *w;
  }

  /// The nodes and their ties, once every edge's ends are known.
  NetworkFile network() {
    TieCollector ties(directed_ || file_directed_);
    for (const std::string& label : labels_)
      ties.node(label);
    for (const PendingEdge& e : edges_) {
      for (const std::string* end : {&e.source, &e.target})
        if (!index_.count(*end))
          xml_.fail(e.line, "edge names node \"" + *end + "\", which is not defined" +
                                did_you_mean(*end, labels_));
      const std::size_t a = index_[e.source];
      const std::size_t b = index_[e.target];
      if (a != b) ties.add(a, b, e.weight);
    }
    NetworkFile out;
    out.graph = ties.build();
    out.labels = labels_;
    out.attributes = attributes_;
    return out;
  }

  XmlCursor xml_;
  bool directed_;
  std::map<std::string, Key> keys_;
  std::vector<PendingEdge> edges_;
  std::vector<std::string> labels_;
  std::vector<std::map<std::string, std::string>> attributes_;
  std::unordered_map<std::string, std::size_t> index_;
  bool saw_graph_ = false;
  bool file_directed_ = false;
  double default_weight_ = 1.0;  // from the weight key's <default>, if it has one
};

NetworkFile read_graphml(const std::string& path, bool directed) {
  return GraphmlReader(path, directed).read();
}

}  // namespace

std::map<std::string, std::map<std::string, std::string>> read_node_table(const std::string& path) {
  const std::vector<std::string> lines = read_lines(path, "node table");
  std::vector<Field> header;
  std::map<std::string, std::map<std::string, std::string>> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (skippable(lines[i])) continue;
    const int line = static_cast<int>(i) + 1;
    std::vector<Field> f = split_csv(lines[i], path, line);
    if (header.empty()) {
      header = std::move(f);
      continue;
    }
    if (f.size() != header.size())
      throw InputError(path, line, 1, "",
                       "row has " + std::to_string(f.size()) + " columns, the header " +
                           std::to_string(header.size()));
    auto [row, added] = out.try_emplace(f[0].text);
    if (!added) throw InputError(path, line, 1, "", "node \"" + f[0].text + "\" appears twice");
    for (std::size_t c = 1; c < f.size(); ++c)
      row->second[header[c].text] = f[c].text;
  }
  if (header.empty()) throw InputError(path, 0, 0, "", "the node table is empty");
  return out;
}

std::optional<NetworkFormat> network_format_named(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kNetworkFormatNames); ++i)
    if (kNetworkFormatNames[i] == name) return static_cast<NetworkFormat>(i);
  return std::nullopt;
}

NetworkFile read_network_file(const std::string& path, std::optional<NetworkFormat> format,
                              bool directed) {
  if (!format) {
    const std::string lower = [&] {
      std::string s = path;
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return s;
    }();
    if (lower.ends_with(".graphml") || lower.ends_with(".xml")) format = NetworkFormat::graphml;
  }
  NetworkFile out;
  if (format == NetworkFormat::graphml) {
    out = read_graphml(path, directed);
  } else {
    const std::vector<std::string> lines = read_lines(path, "network file");
    if (!format) {
      format = NetworkFormat::edgelist;
      for (const std::string& line : lines) {
        if (skippable(line)) continue;
        if (split_csv(line, path, 1)[0].text.empty()) format = NetworkFormat::adjacency;
        break;
      }
    }
    out = format == NetworkFormat::adjacency ? read_adjacency(path, lines, directed)
                                             : read_edgelist(path, lines, directed);
    out.attributes.resize(out.labels.size());
  }
  out.path = path;
  out.format = *format;
  if (out.labels.empty()) throw InputError(path, 0, 0, "", "the network has no nodes");
  return out;
}

}  // namespace interdict::scenario
