// LoggedInterventions: a run's intervention log read back from its table as records, for checks.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "core/Recorder.hpp"
#include "model/InterventionLog.hpp"

namespace interdict::testing {

/// The rows of the intervention log `recorder` kept (model::intervention_log): every numeric
/// column besides time, arrests and cost is a network measure. None if it kept no log.
inline std::vector<model::InterventionRecord> logged_interventions(const MemoryRecorder& recorder) {
  const Table* log = recorder.find_table(model::kInterventionLog);
  if (log == nullptr) return {};
  std::vector<model::InterventionRecord> out(log->rows());
  for (const Column& c : log->columns)
    for (std::size_t k = 0; k < out.size(); ++k) {
      model::InterventionRecord& r = out[k];
      if (c.name == "time")
        r.time = c.numbers[k];
      else if (c.name == "id")
        r.id = c.strings[k];
      else if (c.name == "action")
        r.action = c.strings[k];
      else if (c.name == "targets")
        r.targets = c.strings[k];
      else if (c.name == "arrests")
        r.arrests = c.numbers[k];
      else if (c.name == "cost")
        r.cost = c.numbers[k];
      else
        r.network.emplace_back(c.name, c.numbers[k]);
    }
  return out;
}

/// The network measure `name` of `record`, NaN if it was not recorded.
inline double measure(const model::InterventionRecord& record, const std::string& name) {
  for (const auto& [n, v] : record.network)
    if (n == name) return v;
  return std::numeric_limits<double>::quiet_NaN();
}

/// A MemoryRecorder that also gives its intervention log back as records.
class LogRecorder : public MemoryRecorder {
 public:
  std::vector<model::InterventionRecord> interventions() const {
    return logged_interventions(*this);
  }
};

}  // namespace interdict::testing
