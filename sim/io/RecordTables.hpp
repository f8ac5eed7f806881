// RecordTables: the intervention log and the network record as HDF5 tables, shared by the
// single-run and study writers.
#pragma once

#include <hdf5.h>

#include <vector>

#include "core/Recorder.hpp"
#include "io/Hdf5Support.hpp"

namespace interdict::io {

/// Columns of an intervention log: time, id, action, targets, arrests, cost, and each network
/// measure recorded with it (true_efficiency_before, ...).
std::vector<Column> intervention_columns(const std::vector<InterventionRecord>& log);

/// Group /network: tables nodes (dimension `node`), ties (`tie`) and changes (`change`).
void write_network(hid_t file, const NetworkRecord& network);

}  // namespace interdict::io
