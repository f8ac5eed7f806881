// Signals: what the model announces, for the mechanisms that listen.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace interdict::model {

/// A typed, synchronous signal: listeners are called in the order they connected, at once,
/// inside the event that emits. Owned by the model (never global), so several runs live side by
/// side, and connected while mechanisms are built, in the fixed order of the mechanism list, so
/// runs are reproducible.
template <class... Args>
class Signal {
 public:
  using Listener = std::function<void(Args...)>;
  void connect(Listener listener) { listeners_.push_back(std::move(listener)); }
  void emit(Args... args) const {
    for (const Listener& listener : listeners_)
      listener(args...);
  }

 private:
  std::vector<Listener> listeners_;
};

/// Every signal of the trafficking model. docs/architecture.md lists who emits and who listens.
struct ModelSignals {
  /// Observation took a sample: the values of every series, in the order of the series table.
  Signal<std::span<const double>> sample_taken;
};

}  // namespace interdict::model
