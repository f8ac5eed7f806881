// Table: named columns of numbers or text, the form in which a model reports what is not a time
// series (logs, structures).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace interdict {

/// One column of a table: numbers, or text when `text` is true.
struct Column {
  std::string name;
  std::string unit;
  std::string description;
  std::vector<double> numbers{};
  std::vector<std::string> strings{};
  bool text = false;
  bool integer = false;  // whole numbers, stored as int64 where a file keeps types

  /// Its number of values.
  std::size_t size() const { return text ? strings.size() : numbers.size(); }
};

/// A table: `name` says what it is and where it goes, a path ("interventions", "network/nodes");
/// `dimension` names what a row is ("intervention", "node").
struct Table {
  std::string name;
  std::string dimension;
  std::vector<Column> columns{};

  /// Its number of rows (0 without columns).
  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  /// The named column, or null.
  const Column* column(std::string_view column_name) const;
  /// Appends the rows of `more`, matching columns by name: a column new to this table is added
  /// (NaN or empty text in the rows before), a column `more` lacks gets NaN or empty text in its
  /// rows. Throws std::invalid_argument if a column would change between numbers and text, or if
  /// `more`'s columns differ in length.
  void append(const Table& more);
};

/// The column `name` of `rows`, read from each by `get`, which returns a number (or bool) or text.
template <class Rows, class Get>
Column column_of(std::string name, std::string unit, std::string description, const Rows& rows,
                 Get get) {
  using Value = std::decay_t<decltype(get(*std::begin(rows)))>;
  Column c{std::move(name), std::move(unit), std::move(description)};
  c.text = !std::is_arithmetic_v<Value>;
  for (const auto& row : rows) {
    if constexpr (std::is_arithmetic_v<Value>)
      c.numbers.push_back(static_cast<double>(get(row)));
    else
      c.strings.emplace_back(get(row));
  }
  return c;
}

}  // namespace interdict
