// TableChecks: comparisons of numbers and tables that count NaN equal to NaN.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "core/Table.hpp"

namespace interdict::testing {

/// Whether `a` and `b` hold the same numbers, NaN equal to NaN.
inline bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

/// Whether `read` has the rows of `written` and each of its columns (name, unit, description,
/// values), in the same order; `read` may have more columns, as a run's log read back from a
/// study file has every column of the study's log.
inline bool holds_columns(const Table& read, const Table& written) {
  if (read.rows() != written.rows()) return false;
  std::size_t at = 0;
  for (const Column& w : written.columns) {
    while (at < read.columns.size() && read.columns[at].name != w.name)
      ++at;
    if (at == read.columns.size()) return false;
    const Column& r = read.columns[at];
    if (r.unit != w.unit || r.description != w.description || r.text != w.text ||
        r.strings != w.strings || !same_values(r.numbers, w.numbers))
      return false;
  }
  return true;
}

}  // namespace interdict::testing
