// Signals: what the model announces, for the mechanisms that listen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "model/World.hpp"

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

/// Who seized a load: a patrol on a route, an agency raiding a stash, or an intervention that
/// caught the vessel carrying it.
enum class SeizedBy : std::uint8_t { patrol, raid, intervention };

/// A load seized: how much, where, by whom (ModelSignals::load_seized).
struct LoadSeizure {
  std::int64_t kg = 0;
  std::size_t route = kNone;  // the route it was under way on; kNone if it was not under way
  std::size_t place = 0;      // where: the place it set out from on that route, or where it was
  SeizedBy by = SeizedBy::patrol;
  std::size_t seizer = kNone;  // the patrol, the raiding agency or the intervention
  CarrierKind carrier = CarrierKind::none;
  std::uint32_t carrier_index = 0;  // the cell or vessel carrying it
};

/// Every signal of the trafficking model, in the order mechanisms are built; docs/architecture.md
/// lists who emits and who listens.
struct ModelSignals {
  /// A hand-off was coordinated (route, organisation, channel name); a coordination channel.
  Signal<std::size_t, std::size_t, std::string_view> handoff;
  /// Enforcement intercepted a coordination call about a leg (route, organisation); the
  /// fallback channel, or Intelligence listening to radio.
  Signal<std::size_t, std::size_t> call_intercepted;
  /// A patrol seized a load from its carrier (carrier kind, carrier index, patrol); Transport.
  Signal<CarrierKind, std::size_t, std::size_t> seizure;
  /// A load set off on a leg (shipment, route); Transport.
  Signal<std::uint32_t, std::size_t> load_departed;
  /// A load was seized, whatever seized it; Transport, as it counts the kilograms seized.
  Signal<const LoadSeizure&> load_seized;
  /// A load of an organisation ended a leg, seized or not (organisation, route, seized);
  /// Transport.
  Signal<std::size_t, std::size_t, bool> leg_ended;
  /// A load of an organisation came to rest at a place between legs, where it waits for a
  /// carrier, for coordination or to try again (shipment, organisation, place): produced there,
  /// landed there, or split off there; Transport.
  Signal<std::uint32_t, std::size_t, std::size_t> load_waiting;
  /// A load that was waiting at a place left it: set off on its next leg, was delivered or
  /// seized (shipment); Transport. Also emitted for a load that was not waiting.
  Signal<std::uint32_t> load_moved;
  /// A recruit joined a cell (cell); Recovery.
  Signal<std::size_t> member_joined;
  /// A cell lost its last member, or was staffed again (cell, staffed); World::change_members.
  Signal<std::size_t, bool> cell_staffed;
  /// A relay went down or came back up (relay, up); Recovery.
  Signal<std::size_t, bool> relay_changed;
  /// Observation took a sample: the values of every series, in the order of the series table.
  Signal<std::span<const double>> sample_taken;
};

}  // namespace interdict::model
