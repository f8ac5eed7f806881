// Channels: the ways a carrier and a sender coordinate a hand-off (radio; phones and messengers).
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "model/ModelContext.hpp"

namespace interdict::model {

/// A way to coordinate a hand-off. Transport asks the channels in order and uses the first one
/// available to the organisation at the place; the last must always be available.
class CoordinationChannel {
 public:
  virtual ~CoordinationChannel() = default;
  /// Its name, as ModelSignals::handoff reports it.
  virtual std::string_view name() const = 0;
  /// Whether `organisation` can use it at `place` now.
  virtual bool available(std::size_t organisation, std::size_t place) = 0;
  /// One attempt to coordinate the hand-off that starts `route`: its delay in days, or nullopt
  /// if it failed (the load tries again after the coordination timeout). Counts the attempt and
  /// announces it (ModelSignals::handoff), and any interception (call_intercepted).
  virtual std::optional<double> attempt(std::size_t organisation, std::size_t route) = 0;
};

/// Radio through the organisation's relays to a control centre (CommunicationNetwork): fast,
/// and intercepted only while enforcement listens to radio (Intelligence).
class RadioChannel final : public CoordinationChannel {
 public:
  explicit RadioChannel(ModelContext& context);
  std::string_view name() const override { return "radio"; }
  bool available(std::size_t organisation, std::size_t place) override;
  std::optional<double> attempt(std::size_t organisation, std::size_t route) override;

 private:
  ModelContext& ctx_;
  LazyStream delay_rng_;
};

/// Phones and messengers, everywhere: slower, an attempt fails with fallback_failure, and a
/// call leaks to enforcement with fallback_leak.
class FallbackChannel final : public CoordinationChannel {
 public:
  explicit FallbackChannel(ModelContext& context);
  std::string_view name() const override { return "fallback"; }
  bool available(std::size_t, std::size_t) override { return true; }
  std::optional<double> attempt(std::size_t organisation, std::size_t route) override;

 private:
  ModelContext& ctx_;
  // One stream each, so that a delay of zero (no draw) or another failure rate does not change
  // which calls leak.
  LazyStream failure_rng_;
  LazyStream delay_rng_;
  LazyStream leak_rng_;
};

/// The channels in the order Transport asks them. A new channel is a class and one line here.
std::vector<std::unique_ptr<CoordinationChannel>> make_channels(ModelContext& context);

}  // namespace interdict::model
