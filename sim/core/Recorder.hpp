// Recorder: the interface through which a model reports sampled time series and summaries.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/SimTime.hpp"

namespace interdict {

/// Name, unit and meaning of one recorded quantity.
struct MetricInfo {
  std::string name;
  std::string unit;
  std::string description;
};

/// One intervention that fired, for the intervention log.
struct InterventionRecord {
  double time = 0.0;  // days
  std::string id;
  std::string action;
  std::string targets;  // human-readable list of what was hit
  double arrests = 0.0;
  double cost = 0.0;  // USD
  /// Network measures just before and after it fired, by name (e.g. true_efficiency_before).
  std::vector<std::pair<std::string, double>> network{};

  /// The named network measure, NaN if it was not recorded.
  double measure(const std::string& name) const {
    for (const auto& [n, v] : network)
      if (n == name) return v;
    return std::numeric_limits<double>::quiet_NaN();
  }
};

/// The structure of a model's network, for drawing it and for analysing it afterwards:
/// nodes (places, cells, relays, vessels) with coordinates where known, the ties between
/// them, and every time a node stopped or resumed operating.
struct NetworkRecord {
  struct Node {
    std::string id;
    std::string kind;    // place, cell, relay, vessel
    std::string detail;  // place kind, relay kind, vessel type, or a cell's largest role
    std::string organisation;
    std::string place;     // where it is (a place's own id; a vessel's home port)
    double longitude;      // degrees, NaN if the place has no coordinates
    double latitude;       // degrees, NaN if the place has no coordinates
    bool active_at_start;  // operating at t = 0
  };
  struct Tie {
    std::uint32_t source;  // node indices
    std::uint32_t target;
    std::string kind;  // social (cell ties), radio (relay links), land, sea, air (routes)
  };
  struct Change {
    double time;  // days
    std::uint32_t node;
    bool active;  // true: resumed operating; false: stopped
  };
  std::vector<Node> nodes;
  std::vector<Tie> ties;
  std::vector<Change> changes;  // in time order
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
  /// An intervention that fired. Recorders that keep no log ignore it.
  virtual void intervention(const InterventionRecord&) {}
  /// Whether network() should be called: building the record costs a pass over every node.
  virtual bool wants_network() const { return false; }
  /// The network and its changes, once at the end of a run, if the recorder wants it.
  virtual void network(NetworkRecord&&) {}
};

/// Keeps everything in memory: for tests, for printing a run's summary, and as the buffer
/// behind file writers.
class MemoryRecorder : public Recorder {
 public:
  void declare_series(std::span<const MetricInfo> metrics) override;
  void sample(SimTime t, std::span<const double> values) override;
  void summary(const MetricInfo& metric, double value) override;
  void intervention(const InterventionRecord& record) override { interventions_.push_back(record); }
  bool wants_network() const override { return keep_network_; }
  void network(NetworkRecord&& record) override { network_ = std::move(record); }
  /// Whether to keep the network record (on by default; study runs do not store it).
  void keep_network(bool keep) { keep_network_ = keep; }

  const std::vector<MetricInfo>& series() const { return series_; }
  const std::vector<InterventionRecord>& interventions() const { return interventions_; }
  const NetworkRecord& network() const { return network_; }
  const std::vector<double>& times() const { return times_; }
  /// Values of series i over time.
  const std::vector<double>& values(std::size_t i) const { return values_.at(i); }
  /// Hands over all series values (leaving the recorder without them), to avoid a copy.
  std::vector<std::vector<double>> release_values() { return std::move(values_); }
  /// Values of the named series; throws std::out_of_range if there is none.
  const std::vector<double>& values(const std::string& name) const;

  struct SummaryValue {
    MetricInfo metric;
    double value;
  };
  const std::vector<SummaryValue>& summaries() const { return summaries_; }
  /// The named summary value; throws std::out_of_range if there is none.
  double summary_value(const std::string& name) const;

 private:
  std::vector<MetricInfo> series_;
  std::vector<double> times_;
  std::vector<std::vector<double>> values_;
  std::vector<SummaryValue> summaries_;
  std::vector<InterventionRecord> interventions_;
  NetworkRecord network_;
  bool keep_network_ = true;
};

}  // namespace interdict
