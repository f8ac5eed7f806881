// InterventionLog: the intervention log's rows and the columns of its table.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/Table.hpp"

namespace interdict::model {

/// Name of the log's table: one row per intervention that fired.
inline constexpr const char* kInterventionLog = "interventions";

/// One intervention that fired.
struct InterventionRecord {
  double time = 0.0;  // days
  std::string id;
  std::string action;
  std::string targets;  // human-readable list of what was hit
  double arrests = 0.0;
  double cost = 0.0;  // USD
  /// Network measures just before and after it fired, by name (e.g. true_efficiency_before).
  std::vector<std::pair<std::string, double>> network{};
};

/// The log table of `records`: time, id, action, targets, arrests, cost, then each network
/// measure a record has (in first-seen order, NaN where a record lacks it). Of no records: the
/// log's columns, with no rows.
Table intervention_log(std::span<const InterventionRecord> records);

}  // namespace interdict::model
