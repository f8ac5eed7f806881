// ScenarioReader: checks a TOML document against the key table and reads typed values from it.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "scenario/InputError.hpp"
#include "scenario/ScenarioKeys.hpp"

namespace interdict::scenario {

/// Wraps a parsed document. check() reports the first unknown key, wrong type, value out of
/// range or missing required key; the getters then read values with their declared defaults.
class ScenarioReader {
 public:
  ScenarioReader(std::string file, const toml::table& root,
                 std::span<const KeySpec> keys = scenario_keys())
      : file_(std::move(file)), root_(root), keys_(keys) {}

  /// Validates the whole document against the key table.
  void check() const;

  /// Value of `key` in table `t` found at `path` ("" for the root, "routes[2]", ...).
  double number(const toml::table& t, const std::string& path, std::string_view key) const;
  std::optional<double> optional_number(const toml::table& t, const std::string& path,
                                        std::string_view key) const;
  std::int64_t integer(const toml::table& t, const std::string& path, std::string_view key) const;
  std::string text(const toml::table& t, const std::string& path, std::string_view key) const;
  bool flag(const toml::table& t, const std::string& path, std::string_view key) const;
  /// A boolean that may be absent (no default applies).
  std::optional<bool> optional_flag(const toml::table& t, const std::string& path,
                                    std::string_view key) const;
  std::optional<std::string> optional_text(const toml::table& t, const std::string& path,
                                           std::string_view key) const;
  /// The strings of an array-of-strings key (empty if absent).
  std::vector<std::string> strings(const toml::table& t, const std::string& path,
                                   std::string_view key) const;

  /// The sub-table at `key`, or an empty table if absent.
  const toml::table& table(const toml::table& t, std::string_view key) const;
  /// The array of tables at `key`, or nullptr if absent.
  const toml::array* table_array(const toml::table& t, std::string_view key) const;

  /// An InputError located at t[key] (or at t itself if the key is absent).
  InputError error(const toml::table& t, const std::string& path, std::string_view key,
                   const std::string& message) const;
  /// An InputError at `key` of the table at `table_path` ("" for the top level, "sources[2]"), or
  /// naming only the file and key when the document leaves the key out.
  InputError error_at_path(const std::string& table_path, std::string_view key,
                           const std::string& message) const;
  /// An InputError located at a node.
  InputError error_at(const toml::node& node, const std::string& full_key,
                      const std::string& message) const;

  const toml::table& root() const { return root_; }
  const std::string& file() const { return file_; }

  /// Notes in `keys` the key-table name of every key read from now on (for the test that no
  /// declared key goes unread).
  void note_reads(std::set<std::string>* keys) const { reads_ = keys; }

 private:
  InputError located(const toml::source_region& source, const std::string& full_key,
                     const std::string& message) const;
  void check_table(const toml::table& t, const std::string& path) const;
  void check_value(const toml::node& node, const std::string& full_key, const KeySpec& spec) const;
  const KeySpec& spec_of(const std::string& path, std::string_view key) const;

  std::string file_;
  const toml::table& root_;
  std::span<const KeySpec> keys_;
  mutable std::set<std::string>* reads_ = nullptr;
};

/// Joins a table path and a key: ("routes[2]", "from") -> "routes[2].from".
std::string join_key(const std::string& path, std::string_view key);

/// Parses TOML text read from `path`; a syntax error becomes an InputError at its line and
/// column.
toml::table parse_toml(const std::string& text, const std::string& path);

/// A TOML value as the text `--set` takes (inline tables and arrays included).
std::string value_text(const toml::node& node);

}  // namespace interdict::scenario
