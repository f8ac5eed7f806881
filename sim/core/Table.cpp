// Table: column lookup and appending rows by column name.
#include "core/Table.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace interdict {

namespace {

/// Pads `c` with NaN or empty text to `rows` values.
void pad(Column& c, std::size_t rows) {
  if (c.text)
    c.strings.resize(rows);
  else
    c.numbers.resize(rows, std::numeric_limits<double>::quiet_NaN());
}

}  // namespace

const Column* Table::column(std::string_view column_name) const {
  for (const Column& c : columns)
    if (c.name == column_name) return &c;
  return nullptr;
}

void Table::append(const Table& more) {
  const std::size_t before = rows();
  const std::size_t after = before + more.rows();
  // Where each column of `more` goes (columns.size() and on: new ones), checked before anything
  // changes.
  std::vector<std::size_t> into(more.columns.size());
  std::vector<char> taken(columns.size(), 0);
  std::size_t added = columns.size();
  for (std::size_t k = 0; k < more.columns.size(); ++k) {
    const Column& from = more.columns[k];
    if (from.size() != more.rows())
      throw std::invalid_argument("table " + more.name + ": column " + from.name + " has " +
                                  std::to_string(from.size()) + " rows, the table " +
                                  std::to_string(more.rows()));
    // Reports of one table have one layout: look at the same position first.
    std::size_t j = k;
    if (j >= columns.size() || columns[j].name != from.name)
      for (j = 0; j < columns.size() && columns[j].name != from.name;)
        ++j;
    const bool known = j < columns.size();
    const bool twice = known ? taken[j] != 0
                             : std::any_of(more.columns.begin(), more.columns.begin() + k,
                                           [&](const Column& c) { return c.name == from.name; });
    if (twice)
      throw std::invalid_argument("table " + more.name + ": column " + from.name + " given twice");
    if (known && columns[j].text != from.text)
      throw std::invalid_argument("table " + name + ": column " + from.name +
                                  " holds both numbers and text");
    if (known) taken[j] = 1;
    into[k] = known ? j : added++;
  }
  for (std::size_t k = 0; k < more.columns.size(); ++k) {
    const Column& from = more.columns[k];
    if (into[k] >= columns.size()) {
      columns.push_back(Column{from.name, from.unit, from.description, {}, {}, from.text});
      pad(columns.back(), before);
    }
    Column& to = columns[into[k]];
    if (from.text)
      to.strings.insert(to.strings.end(), from.strings.begin(), from.strings.end());
    else
      to.numbers.insert(to.numbers.end(), from.numbers.begin(), from.numbers.end());
  }
  for (Column& c : columns)
    pad(c, after);
}

}  // namespace interdict
