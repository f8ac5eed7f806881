// Metrics: the time series and end-of-run values that mechanisms declare, each once, in the
// mechanism that owns the state it reads.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "core/Recorder.hpp"

namespace interdict::model {

/// A metric as its owner declares it: name, unit and meaning, and how to read it from the owner
/// (a function of the owner alone, so that the list is known before any model exists: scenarios
/// check `output.series` and `when` conditions against it, and the docs are generated from it).
template <class Owner>
struct Metric {
  MetricInfo info;
  double (*read)(Owner&);
};

/// The metrics of one model, in the order of their declarations, each bound to its owner.
class MetricTable {
 public:
  template <class Owner>
  void declare(Owner& owner, std::span<const Metric<Owner>> metrics) {
    for (const Metric<Owner>& m : metrics) {
      infos_.push_back(m.info);
      readers_.emplace_back([&owner, read = m.read] { return read(owner); });
    }
  }

  std::span<const MetricInfo> infos() const { return infos_; }
  std::size_t size() const { return infos_.size(); }
  /// Reads metric `i` now.
  double read(std::size_t i) const { return readers_[i](); }
  /// Reads every metric now, in declaration order.
  void read(std::vector<double>& values) const {
    values.resize(readers_.size());
    for (std::size_t i = 0; i < readers_.size(); ++i)
      values[i] = readers_[i]();
  }

 private:
  std::vector<MetricInfo> infos_;
  std::vector<std::function<double()>> readers_;
};

/// Appends the names, units and meanings of an owner's metrics.
template <class Owner>
void append_infos(std::vector<MetricInfo>& out, std::span<const Metric<Owner>> metrics) {
  for (const Metric<Owner>& m : metrics)
    out.push_back(m.info);
}

}  // namespace interdict::model
