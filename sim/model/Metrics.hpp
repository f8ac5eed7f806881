// Metrics: the time series and end-of-run values that mechanisms declare, each once, in the
// mechanism that owns the state it reads.
#pragma once

#include <functional>
#include <limits>
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
    const std::size_t first = infos_.size();
    for (const Metric<Owner>& m : metrics)
      infos_.push_back(m.info);
    // One call per owner and sample, its metrics read through plain function pointers.
    groups_.push_back(
        Group{first, metrics.size(), [&owner, metrics](double* out, std::size_t i, std::size_t n) {
                for (std::size_t k = 0; k < n; ++k)
                  out[k] = metrics[i + k].read(owner);
              }});
  }

  std::span<const MetricInfo> infos() const { return infos_; }
  std::size_t size() const { return infos_.size(); }
  /// Reads metric `i` now.
  double read(std::size_t i) const {
    for (const Group& g : groups_)
      if (i < g.first + g.count) {
        double value = 0.0;
        g.read(&value, i - g.first, 1);
        return value;
      }
    return std::numeric_limits<double>::quiet_NaN();
  }
  /// Reads every metric now, in declaration order.
  void read(std::vector<double>& values) const {
    values.resize(infos_.size());
    for (const Group& g : groups_)
      g.read(values.data() + g.first, 0, g.count);
  }

 private:
  struct Group {
    std::size_t first, count;  // its metrics' place in the table
    std::function<void(double* out, std::size_t from, std::size_t n)> read;
  };
  std::vector<MetricInfo> infos_;
  std::vector<Group> groups_;
};

/// Appends the names, units and meanings of an owner's metrics.
template <class Owner>
void append_infos(std::vector<MetricInfo>& out, std::span<const Metric<Owner>> metrics) {
  for (const Metric<Owner>& m : metrics)
    out.push_back(m.info);
}

}  // namespace interdict::model
