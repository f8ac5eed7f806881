// MemoryRecorder: the in-memory Recorder.
#include "core/Recorder.hpp"

#include <stdexcept>

namespace interdict {

void MemoryRecorder::declare_series(std::span<const MetricInfo> metrics) {
  series_.assign(metrics.begin(), metrics.end());
  values_.assign(series_.size(), {});
  times_.clear();
}

void MemoryRecorder::sample(SimTime t, std::span<const double> values) {
  if (values.size() != series_.size())
    throw std::logic_error("sample has " + std::to_string(values.size()) + " values for " +
                           std::to_string(series_.size()) + " declared series");
  times_.push_back(t.in_days());
  for (std::size_t i = 0; i < values.size(); ++i)
    values_[i].push_back(values[i]);
}

void MemoryRecorder::summary(const MetricInfo& metric, double value) {
  summaries_.push_back(SummaryValue{metric, value});
}

const std::vector<double>* MemoryRecorder::find_values(std::string_view name) const {
  for (std::size_t i = 0; i < series_.size(); ++i)
    if (series_[i].name == name) return &values_[i];
  return nullptr;
}

const std::vector<double>& MemoryRecorder::values(const std::string& name) const {
  if (const std::vector<double>* found = find_values(name)) return *found;
  throw std::out_of_range("no recorded series named '" + name + "'");
}

bool MemoryRecorder::wants_table(std::string_view name) const {
  for (const std::string& s : skipped_)
    if (name.starts_with(s) && (name.size() == s.size() || name[s.size()] == '/')) return false;
  return true;
}

void MemoryRecorder::table(Table&& rows) {
  if (!wants_table(rows.name)) return;
  for (Table& t : tables_)
    if (t.name == rows.name) {
      t.append(rows);
      return;
    }
  tables_.push_back(std::move(rows));
}

const Table* MemoryRecorder::find_table(std::string_view name) const {
  for (const Table& t : tables_)
    if (t.name == name) return &t;
  return nullptr;
}

double MemoryRecorder::summary_value(const std::string& name) const {
  for (const auto& s : summaries_)
    if (s.metric.name == name) return s.value;
  throw std::out_of_range("no summary value named '" + name + "'");
}

}  // namespace interdict
