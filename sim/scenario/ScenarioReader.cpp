// ScenarioReader: validation of a TOML document against the declared scenario keys.
#include "scenario/ScenarioReader.hpp"

#include "scenario/Study.hpp"

#include <charconv>
#include <cmath>
#include <sstream>
#include <vector>

namespace interdict::scenario {

namespace {

const toml::table kEmptyTable;

std::string_view node_type_name(const toml::node& node) {
  if (node.is_table()) return "table";
  if (node.is_array_of_tables()) return "array of tables";
  if (node.is_array()) return "array";
  if (node.is_string()) return "string";
  if (node.is_integer()) return "integer";
  if (node.is_floating_point()) return "number";
  if (node.is_boolean()) return "boolean";
  return "date/time";
}

std::string parent_pattern(std::string_view pattern) {
  const auto dot = pattern.rfind('.');
  return dot == std::string_view::npos ? std::string() : std::string(pattern.substr(0, dot));
}

std::string last_part(std::string_view pattern) {
  const auto dot = pattern.rfind('.');
  return std::string(dot == std::string_view::npos ? pattern : pattern.substr(dot + 1));
}

double parse_default(const KeySpec& spec) {
  double value = 0.0;
  const auto text = spec.default_value;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string unquote(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    return std::string(text.substr(1, text.size() - 2));
  return std::string(text);
}

}  // namespace

std::string join_key(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

toml::table parse_toml(const std::string& text, const std::string& path) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    throw InputError(path, static_cast<int>(begin.line), static_cast<int>(begin.column), "",
                     "TOML syntax error: " + std::string(e.description()));
  }
}

InputError ScenarioReader::located(const toml::source_region& source, const std::string& full_key,
                                   const std::string& message) const {
  // Nodes put in by --set have no position in the file: point at the command line instead.
  if (source.begin.line == 0) return InputError("--set " + full_key, 0, 0, full_key, message);
  // Nodes from a base scenario carry their own file's path.
  const std::string& file = source.path && !source.path->empty() ? *source.path : file_;
  return InputError(file, static_cast<int>(source.begin.line),
                    static_cast<int>(source.begin.column), full_key, message);
}

InputError ScenarioReader::error_at(const toml::node& node, const std::string& full_key,
                                    const std::string& message) const {
  return located(node.source(), full_key, message);
}

InputError ScenarioReader::error(const toml::table& t, const std::string& path,
                                 std::string_view key, const std::string& message) const {
  if (const toml::node* node = t.get(key)) return error_at(*node, join_key(path, key), message);
  return error_at(t, join_key(path, key), message);
}

InputError ScenarioReader::error_at_path(const std::string& table_path, std::string_view key,
                                         const std::string& message) const {
  const toml::node* node = table_path.empty() ? &root_ : root_.at_path(table_path).node();
  if (node != nullptr && node->is_table() && node->as_table()->contains(key))
    return error(*node->as_table(), table_path, key, message);
  return InputError(file_, 0, 0, join_key(table_path, key), message);
}

void ScenarioReader::check() const {
  check_table(root_, "");
}

void ScenarioReader::check_table(const toml::table& t, const std::string& path) const {
  const std::string table_pattern = key_pattern(path);
  for (auto&& [k, node] : t) {
    const std::string full = join_key(path, k.str());
    const std::string pattern = key_pattern(full);
    const KeySpec* spec = find_key(pattern, keys_);
    if (spec == nullptr) {
      std::vector<std::string> siblings;
      for (const KeySpec& s : keys_)
        if (parent_pattern(s.path) == table_pattern) siblings.push_back(last_part(s.path));
      throw located(k.source(), full, "unknown key" + did_you_mean(std::string(k.str()), siblings));
    }
    check_value(node, full, *spec);
  }
  for (const KeySpec& s : keys_) {
    if (!s.required || parent_pattern(s.path) != table_pattern) continue;
    const std::string name = last_part(s.path);
    if (!t.contains(name)) {
      const std::string where = path.empty() ? "the top level" : "[" + path + "]";
      throw error_at(t, join_key(path, name), "required key is missing from " + where);
    }
  }
}

void ScenarioReader::check_value(const toml::node& node, const std::string& full_key,
                                 const KeySpec& spec) const {
  const auto wrong_type = [&] {
    return error_at(node, full_key,
                    "expected " + std::string(type_name(spec.type)) + ", found " +
                        std::string(node_type_name(node)));
  };
  switch (spec.type) {
    case KeyType::table:
      if (!node.is_table()) throw wrong_type();
      check_table(*node.as_table(), full_key);
      return;
    case KeyType::any_table:
      if (!node.is_table()) throw wrong_type();
      return;
    case KeyType::table_array: {
      if (!node.is_array_of_tables()) {
        if (node.is_array() && node.as_array()->empty()) return;
        throw error_at(node, full_key,
                       "expected an array of tables ([[" + full_key + "]] sections), found " +
                           std::string(node_type_name(node)));
      }
      const toml::array& array = *node.as_array();
      for (std::size_t i = 0; i < array.size(); ++i)
        check_table(*array[i].as_table(), full_key + "[" + std::to_string(i) + "]");
      return;
    }
    case KeyType::string: {
      if (!node.is_string()) throw wrong_type();
      const std::string& value = node.as_string()->get();
      if (spec.path.ends_with("id") && value.empty())
        throw error_at(node, full_key, "an id must not be empty");
      if (spec.choices.empty()) return;
      std::vector<std::string> choices;
      std::stringstream stream{std::string(spec.choices)};
      for (std::string c; std::getline(stream, c, '|');)
        choices.push_back(c);
      for (const auto& c : choices)
        if (c == value) return;
      throw error_at(
          node, full_key,
          "\"" + value + "\" is not one of " + describe_range(spec) + did_you_mean(value, choices));
    }
    case KeyType::string_array: {
      if (!node.is_array()) throw wrong_type();
      const toml::array& array = *node.as_array();
      for (std::size_t i = 0; i < array.size(); ++i) {
        const std::string element_key = full_key + "[" + std::to_string(i) + "]";
        if (!array[i].is_string())
          throw error_at(array[i], element_key,
                         "expected string, found " + std::string(node_type_name(array[i])));
        if (array[i].as_string()->get().empty())
          throw error_at(array[i], element_key, "an id must not be empty");
      }
      return;
    }
    case KeyType::boolean:
      if (!node.is_boolean()) throw wrong_type();
      return;
    case KeyType::integer:
    case KeyType::number: {
      if (spec.type == KeyType::integer ? !node.is_integer() : !node.is_number())
        throw wrong_type();
      const double value = node.value<double>().value_or(std::nan(""));
      const bool below = spec.min_exclusive ? !(value > spec.min) : !(value >= spec.min);
      const bool too_small = value > 0.0 && value < spec.least_positive;
      if (below || too_small || !(value <= spec.max)) {
        std::ostringstream out;
        out << "value " << value << " is out of range " << describe_range(spec);
        if (!spec.unit.empty()) out << " " << spec.unit;
        throw error_at(node, full_key, out.str());
      }
      return;
    }
  }
}

const KeySpec& ScenarioReader::spec_of(const std::string& path, std::string_view key) const {
  const KeySpec* spec = find_key(key_pattern(join_key(path, key)), keys_);
  if (spec == nullptr) throw std::logic_error("undeclared scenario key " + join_key(path, key));
  if (reads_ != nullptr) reads_->insert(std::string(spec->path));
  return *spec;
}

double ScenarioReader::number(const toml::table& t, const std::string& path,
                              std::string_view key) const {
  if (const auto v = optional_number(t, path, key)) return *v;
  const KeySpec& spec = spec_of(path, key);
  if (spec.default_value.empty()) throw std::logic_error("no default for " + join_key(path, key));
  return parse_default(spec);
}

std::optional<double> ScenarioReader::optional_number(const toml::table& t, const std::string& path,
                                                      std::string_view key) const {
  spec_of(path, key);
  if (const toml::node* node = t.get(key)) return node->value<double>();
  return std::nullopt;
}

std::int64_t ScenarioReader::integer(const toml::table& t, const std::string& path,
                                     std::string_view key) const {
  const KeySpec& spec = spec_of(path, key);
  if (const toml::node* node = t.get(key)) return node->as_integer()->get();
  return static_cast<std::int64_t>(parse_default(spec));
}

std::string ScenarioReader::text(const toml::table& t, const std::string& path,
                                 std::string_view key) const {
  const KeySpec& spec = spec_of(path, key);
  if (auto value = optional_text(t, path, key)) return *value;
  return unquote(spec.default_value);
}

bool ScenarioReader::flag(const toml::table& t, const std::string& path,
                          std::string_view key) const {
  const KeySpec& spec = spec_of(path, key);
  if (auto value = optional_flag(t, path, key)) return *value;
  return spec.default_value == "true";
}

std::optional<bool> ScenarioReader::optional_flag(const toml::table& t, const std::string& path,
                                                  std::string_view key) const {
  spec_of(path, key);
  if (const toml::node* node = t.get(key)) return node->as_boolean()->get();
  return std::nullopt;
}

std::optional<std::string> ScenarioReader::optional_text(const toml::table& t,
                                                         const std::string& path,
                                                         std::string_view key) const {
  spec_of(path, key);
  if (const toml::node* node = t.get(key)) return node->as_string()->get();
  return std::nullopt;
}

std::vector<std::string> ScenarioReader::strings(const toml::table& t, const std::string& path,
                                                 std::string_view key) const {
  spec_of(path, key);
  std::vector<std::string> out;
  if (const toml::array* array = t.get_as<toml::array>(key))
    for (const toml::node& element : *array)
      out.push_back(element.as_string()->get());
  return out;
}

const toml::table& ScenarioReader::table(const toml::table& t, std::string_view key) const {
  const toml::table* sub = t.get_as<toml::table>(key);
  return sub ? *sub : kEmptyTable;
}

const toml::array* ScenarioReader::table_array(const toml::table& t, std::string_view key) const {
  return t.get_as<toml::array>(key);
}

/// The shortest text that reads back as exactly the same double.
std::string shortest(double x) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  std::string text(buffer, end);
  // Keep it a TOML float: "1" would read back as an integer.
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

/// A TOML value as the text `--set` takes.
std::string value_text(const toml::node& node) {
  std::ostringstream out;
  if (const auto* table = node.as_table()) {
    // Inline-table form, which TOML++ does not print on its own.
    out << "{ ";
    bool first = true;
    for (auto&& [k, v] : *table) {
      out << (first ? "" : ", ") << toml::key{k} << " = " << value_text(v);
      first = false;
    }
    out << " }";
    return out.str();
  }
  if (const auto* array = node.as_array()) {
    out << "[";
    for (std::size_t i = 0; i < array->size(); ++i)
      out << (i ? ", " : "") << value_text((*array)[i]);
    out << "]";
    return out.str();
  }
  if (const auto* real = node.as_floating_point()) return shortest(real->get());
  node.visit([&](auto&& value) { out << value; });  // strings come out quoted and escaped
  return out.str();
}

}  // namespace interdict::scenario
