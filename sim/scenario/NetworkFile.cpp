// NetworkFile: CSV and GraphML network readers.
#include "scenario/NetworkFile.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>
#include <unordered_map>
#include <utility>

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

/// A small XML reader for GraphML: elements, attributes, text, comments, declarations.
class XmlCursor {
 public:
  XmlCursor(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {}

  struct Tag {
    std::string name;  // "/name" for an end tag
    std::map<std::string, std::string> attributes;
    bool self_closing = false;
    int line = 0;
    int column = 0;
  };

  /// The next tag, collecting the text before it; false at the end of the document.
  bool next(Tag& tag, std::string& text_before) {
    text_before.clear();
    while (pos_ < text_.size()) {
      if (text_[pos_] != '<') {
        text_before += text_[pos_];
        advance(1);
        continue;
      }
      if (starts("<!--")) {
        skip_past("-->");
        continue;
      }
      if (starts("<?")) {
        skip_past("?>");
        continue;
      }
      if (starts("<![CDATA[")) {
        const std::size_t end = text_.find("]]>", pos_);
        if (end == std::string::npos) fail("unterminated CDATA section");
        text_before += text_.substr(pos_ + 9, end - pos_ - 9);
        advance(end + 3 - pos_);
        continue;
      }
      if (starts("<!")) {
        skip_past(">");
        continue;
      }
      tag = Tag{};
      tag.line = line_;
      tag.column = column_;
      advance(1);
      tag.name = read_name(true);
      while (true) {
        skip_space();
        if (pos_ >= text_.size()) fail("unterminated tag <" + tag.name + ">");
        if (starts("/>")) {
          tag.self_closing = true;
          advance(2);
          break;
        }
        if (text_[pos_] == '>') {
          advance(1);
          break;
        }
        const std::string key = read_name(false);
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != '=') fail("expected = after " + key);
        advance(1);
        skip_space();
        if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\''))
          fail("expected a quoted value for " + key);
        const char quote = text_[pos_];
        advance(1);
        std::string value;
        while (pos_ < text_.size() && text_[pos_] != quote) {
          value += text_[pos_];
          advance(1);
        }
        if (pos_ >= text_.size()) fail("unterminated value of " + key);
        advance(1);
        tag.attributes[key] = unescape(value);
      }
      text_before = unescape(text_before);
      return true;
    }
    return false;
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(path_, line_, column_, "", message);
  }
  [[noreturn]] void fail_at(const Tag& tag, const std::string& message) const {
    throw InputError(path_, tag.line, tag.column, "", message);
  }

 private:
  bool starts(const char* s) const { return text_.compare(pos_, std::strlen(s), s) == 0; }
  void advance(std::size_t n) {
    for (std::size_t k = 0; k < n && pos_ < text_.size(); ++k, ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }
  void skip_past(const char* end) {
    const std::size_t at = text_.find(end, pos_);
    if (at == std::string::npos) fail(std::string("unterminated markup, expected ") + end);
    advance(at + std::strlen(end) - pos_);
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      advance(1);
  }
  std::string read_name(bool allow_slash) {
    std::string name;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
          c == ':' || (allow_slash && c == '/' && name.empty())) {
        name += c;
        advance(1);
      } else {
        break;
      }
    }
    if (name.empty() || name == "/") fail("expected a name");
    return name;
  }
  static std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '&') {
        out += s[i];
        continue;
      }
      const std::size_t end = s.find(';', i);
      const std::string entity = end == std::string::npos ? "" : s.substr(i + 1, end - i - 1);
      const std::map<std::string, char> named{
          {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
      const auto it = named.find(entity);
      if (it == named.end()) {
        out += s[i];
        continue;
      }
      out += it->second;
      i = end;
    }
    return out;
  }

  std::string path_;
  std::string text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

NetworkFile read_graphml(const std::string& path, bool directed) {
  XmlCursor xml(path, read_input_file(path, kMaxNetworkFileBytes, "network file"));

  struct Key {
    std::string name;
    std::string domain;
  };
  std::map<std::string, Key> keys;
  struct PendingEdge {
    std::string source, target;
    double weight;
    XmlCursor::Tag tag;
  };
  std::vector<PendingEdge> edges;
  std::vector<std::string> labels;
  std::vector<std::map<std::string, std::string>> attributes;
  std::unordered_map<std::string, std::size_t> index;
  bool saw_graphml = false;
  bool saw_graph = false;
  bool file_directed = false;
  enum class In { none, node, edge } in_element = In::none;
  XmlCursor::Tag tag;
  XmlCursor::Tag data_tag;
  std::string data_key;
  std::string text;
  while (xml.next(tag, text)) {
    const std::string& name = tag.name;
    if (name == "graphml") {
      saw_graphml = true;
    } else if (name == "key") {
      if (!tag.attributes.count("id")) xml.fail_at(tag, "<key> without an id");
      keys[tag.attributes["id"]] = Key{
          tag.attributes.count("attr.name") ? tag.attributes["attr.name"] : tag.attributes["id"],
          tag.attributes["for"]};
    } else if (name == "graph") {
      if (saw_graph) xml.fail_at(tag, "more than one <graph>: nested graphs are not supported");
      saw_graph = true;
      file_directed = tag.attributes["edgedefault"] == "directed";
    } else if (name == "node") {
      if (!tag.attributes.count("id")) xml.fail_at(tag, "<node> without an id");
      const std::string& id = tag.attributes["id"];
      if (!index.emplace(id, labels.size()).second)
        xml.fail_at(tag, "node \"" + id + "\" is defined twice");
      labels.push_back(id);
      attributes.emplace_back();
      if (!tag.self_closing) in_element = In::node;
    } else if (name == "/node") {
      in_element = In::none;
    } else if (name == "edge") {
      for (const char* end : {"source", "target"})
        if (!tag.attributes.count(end)) xml.fail_at(tag, std::string("<edge> without a ") + end);
      edges.push_back({tag.attributes["source"], tag.attributes["target"], 1.0, tag});
      if (!tag.self_closing) in_element = In::edge;
    } else if (name == "/edge") {
      in_element = In::none;
    } else if (name == "data") {
      data_tag = tag;
      data_key = tag.attributes["key"];
      if (tag.self_closing) data_key.clear();
    } else if (name == "/data") {
      const auto key = keys.find(data_key);
      const std::string attribute = key == keys.end() ? data_key : key->second.name;
      if (in_element == In::node) {
        attributes.back()[attribute] = text;
      } else if (in_element == In::edge && attribute == "weight") {
        const auto w = parse_number(text);
        if (!w || *w <= 0)
          xml.fail_at(data_tag, "edge weight \"" + text + "\" is not a positive number");
        edges.back().weight = *w;
      }
      data_key.clear();
    }
  }
  if (!saw_graphml || !saw_graph) xml.fail("not a GraphML document (no <graphml> and <graph>)");
  TieCollector ties(directed || file_directed);
  for (const std::string& label : labels)
    ties.node(label);
  for (const PendingEdge& e : edges) {
    for (const std::string* end : {&e.source, &e.target})
      if (!index.count(*end))
        xml.fail_at(e.tag, "edge names node \"" + *end + "\", which is not defined" +
                               did_you_mean(*end, labels));
    const std::size_t a = index[e.source];
    const std::size_t b = index[e.target];
    if (a != b) ties.add(a, b, e.weight);
  }
  NetworkFile out;
  out.graph = ties.build();
  out.labels = labels;
  out.attributes = attributes;
  return out;
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
