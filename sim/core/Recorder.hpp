// Recorder: the interface through which a model reports sampled time series, summaries and
// tables.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/SimTime.hpp"
#include "core/Table.hpp"

namespace interdict {

/// Name, unit and meaning of one recorded quantity.
struct MetricInfo {
  std::string name;
  std::string unit;
  std::string description;
};

/// Receives a model's observations. The model never knows where they go (HDF5, memory,
/// nowhere); implementations never change what the model does.
class Recorder {
 public:
  virtual ~Recorder() = default;
  /// Declares the sampled metrics, in the order sample() passes their values.
  virtual void declare_series(std::span<const MetricInfo> metrics) = 0;
  /// One sample of every declared metric at time t.
  virtual void sample(SimTime t, std::span<const double> values) = 0;
  /// An end-of-run value.
  virtual void summary(const MetricInfo& metric, double value) = 0;
  /// Whether the recorder keeps the table `name`, or the tables under `name/`. A model asks
  /// before building a table that costs a pass over all its state.
  virtual bool wants_table(std::string_view) const { return false; }
  /// Rows of the table `rows.name`. The first report of a name gives the table's columns (with
  /// no rows, if nothing happened yet); later reports add rows. Recorders that keep no tables, or
  /// not this one, ignore it.
  virtual void table(Table&&) {}
};

/// Keeps everything in memory: for tests, for printing a run's summary, and as the buffer
/// behind file writers.
class MemoryRecorder : public Recorder {
 public:
  void declare_series(std::span<const MetricInfo> metrics) override;
  void sample(SimTime t, std::span<const double> values) override;
  void summary(const MetricInfo& metric, double value) override;
  /// Every table not skipped.
  bool wants_table(std::string_view name) const override;
  /// Keeps the table, or adds its rows to the table of that name (Table::append).
  void table(Table&& rows) override;
  /// Keeps no table named `name` or under `name/` (study runs store no network).
  void skip_tables(std::string name) { skipped_.push_back(std::move(name)); }

  const std::vector<MetricInfo>& series() const { return series_; }
  const std::vector<double>& times() const { return times_; }
  /// Values of series i over time.
  const std::vector<double>& values(std::size_t i) const { return values_.at(i); }
  /// Hands over all series values (leaving the recorder without them), to avoid a copy.
  std::vector<std::vector<double>> release_values() { return std::move(values_); }
  /// Values of the named series; throws std::out_of_range if there is none.
  const std::vector<double>& values(const std::string& name) const;
  /// Values of the named series, or nullptr if it was not recorded.
  const std::vector<double>* find_values(std::string_view name) const;

  struct SummaryValue {
    MetricInfo metric;
    double value;
  };
  const std::vector<SummaryValue>& summaries() const { return summaries_; }
  /// The named summary value; throws std::out_of_range if there is none.
  double summary_value(const std::string& name) const;

  /// The tables, in the order first reported.
  const std::vector<Table>& tables() const { return tables_; }
  /// The named table, or null.
  const Table* find_table(std::string_view name) const;

 private:
  std::vector<MetricInfo> series_;
  std::vector<double> times_;
  std::vector<std::vector<double>> values_;
  std::vector<SummaryValue> summaries_;
  std::vector<Table> tables_;
  std::vector<std::string> skipped_;
};

}  // namespace interdict
