// InterventionLog: the columns of the intervention log (docs/output-format.md, /interventions).
#include "model/InterventionLog.hpp"

#include <limits>

namespace interdict::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The table of `log` without its network measures.
Table without_measures(std::span<const InterventionRecord> log) {
  using R = InterventionRecord;
  return Table{
      kInterventionLog,
      "intervention",
      {
          column_of("time", "simulation days", "when it fired", log,
                    [](const R& r) { return r.time; }),
          column_of("id", "", "intervention id from the scenario", log,
                    [](const R& r) { return r.id; }),
          column_of("action", "", "what was done", log, [](const R& r) { return r.action; }),
          column_of("targets", "", "what it hit or changed", log,
                    [](const R& r) { return r.targets; }),
          column_of("arrests", "1", "people arrested by it", log,
                    [](const R& r) { return r.arrests; }),
          column_of("cost", "USD", "cost charged to the agency", log,
                    [](const R& r) { return r.cost; }),
      }};
}

}  // namespace

Table intervention_log(std::span<const InterventionRecord> records) {
  Table log = without_measures(records);
  const std::size_t fixed = log.columns.size();
  // Network measures: the union of the names, in first-seen order, NaN where a record lacks one.
  // Records of one run measure the same names in the same order: look there first.
  for (std::size_t row = 0; row < records.size(); ++row) {
    const auto& measures = records[row].network;
    for (std::size_t k = 0; k < measures.size(); ++k) {
      const auto& [name, value] = measures[k];
      std::size_t j = fixed + k;
      if (j >= log.columns.size() || log.columns[j].name != name)
        for (j = fixed; j < log.columns.size() && log.columns[j].name != name;)
          ++j;
      if (j == log.columns.size())
        log.columns.push_back(Column{name, "1",
                                     "network measure (see the time series of that name)",
                                     std::vector<double>(records.size(), kNaN)});
      log.columns[j].numbers[row] = value;
    }
  }
  return log;
}

}  // namespace interdict::model
