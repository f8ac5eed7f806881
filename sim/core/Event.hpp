// Event: the small plain record the engine queues, and the total order between events.
#pragma once

#include <bit>
#include <cstdint>

#include "core/SimTime.hpp"

namespace interdict {

/// Index of a handler registered with a Simulation.
enum class HandlerId : std::uint32_t {};

/// Identifies a scheduled event, for cancellation: its time and order word (priority and
/// insertion sequence), which are unique within one Simulation.
struct EventId {
  SimTime time;
  std::uint64_t order = 0;
};

/// Tie-break between events at the same time: lower runs first.
enum class Priority : std::uint8_t { first = 0, early = 64, normal = 128, late = 192, last = 255 };

/// A scheduled event. Plain data (32 bytes), so queues move it without allocating.
struct Event {
  SimTime time;
  /// Priority in the top 8 bits, insertion sequence in the low 56: one integer gives
  /// the (priority, sequence) part of the total order.
  std::uint64_t order = 0;
  HandlerId handler{};
  /// Handler-defined: usually the index of the entity the event is about.
  std::uint32_t target = 0;
  /// Handler-defined extra data.
  std::uint64_t payload = 0;

  static constexpr int kSequenceBits = 56;
  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << kSequenceBits) - 1;

  EventId id() const { return EventId{time, order}; }
  std::uint64_t sequence() const { return order & kSequenceMask; }
  Priority priority() const { return static_cast<Priority>(order >> kSequenceBits); }
};

/// Maps a time to an integer with the same order (IEEE-754 total order), so queues compare
/// events with integer instructions instead of floating-point compares and their NaN checks.
inline std::uint64_t time_key(SimTime t) {
  const auto bits = std::bit_cast<std::uint64_t>(t.in_days());
  const auto sign = static_cast<std::uint64_t>(static_cast<std::int64_t>(bits) >> 63);
  return bits ^ (sign | 0x8000000000000000ull);
}

/// The engine's total order: (time, priority, insertion sequence).
inline bool runs_before(const Event& a, const Event& b) {
  const std::uint64_t ka = time_key(a.time);
  const std::uint64_t kb = time_key(b.time);
  return ka < kb || (ka == kb && a.order < b.order);
}

/// Comparator for std heap algorithms, which keep the greatest element on top.
struct RunsLater {
  bool operator()(const Event& a, const Event& b) const { return runs_before(b, a); }
};

}  // namespace interdict
