// Simulation: one run's clock, event queue and run loop. No globals: several may coexist.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/CalendarQueue.hpp"
#include "core/CancelSet.hpp"
#include "core/Event.hpp"
#include "core/SimTime.hpp"

namespace interdict {

/// Raised when code asks the engine for something impossible (an event in the past, an
/// unknown handler). These are programming errors, not bad input.
class SimulationError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Thrown by Simulation::run when its interrupt flag was raised (Ctrl-C in Python): the run is
/// abandoned, not finished, and nothing of it may be reported as a result.
class RunInterrupted : public std::runtime_error {
 public:
  RunInterrupted() : std::runtime_error("run interrupted") {}
};

/// The discrete-event engine. Mechanisms register handlers once, then schedule events that
/// name a handler, a target and a payload; the run loop executes them in (time, priority,
/// sequence) order.
class Simulation {
 public:
  using HandlerFn = void (*)(void* context, Simulation& sim, const Event& event);

  Simulation();

  /// Registers a handler function with an opaque context pointer.
  HandlerId add_handler(std::string name, HandlerFn fn, void* context);

  /// Registers a member function `void T::f(Simulation&, const Event&)` of `object`.
  template <auto Method, class T>
  HandlerId add_handler(std::string name, T& object) {
    return add_handler(
        std::move(name),
        [](void* context, Simulation& sim, const Event& event) {
          (static_cast<T*>(context)->*Method)(sim, event);
        },
        &object);
  }

  /// Schedules an event at absolute time `at` (not before now()).
  EventId schedule(SimTime at, HandlerId handler, std::uint32_t target = 0,
                   std::uint64_t payload = 0, Priority priority = Priority::normal) {
    if (!(at >= now_) || !at.is_finite() || static_cast<std::uint32_t>(handler) >= handlers_.size())
      throw_bad_schedule(at, handler);
    const std::uint64_t order =
        (std::uint64_t{static_cast<std::uint8_t>(priority)} << Event::kSequenceBits) |
        next_sequence_++;
    queue_.push(Event{at, order, handler, target, payload});
    return EventId{at, order};
  }

  /// Schedules an event `delay` after now().
  EventId schedule_in(SimTime delay, HandlerId handler, std::uint32_t target = 0,
                      std::uint64_t payload = 0, Priority priority = Priority::normal) {
    return schedule(now_ + delay, handler, target, payload, priority);
  }

  /// Cancels a pending event: it stays queued and is skipped when reached. Cancelling an event
  /// that has already run (or been skipped) does nothing, so the cancel set holds only queued
  /// events and empties as the run reaches them.
  void cancel(EventId id) {
    if (queued(id)) cancelled_.insert(id.order & Event::kSequenceMask);
  }

  /// Schedules the end of the run at `end`, after every other event at that time.
  void stop_at(SimTime end);
  /// Ends the run after the current event.
  void stop() { stopped_ = true; }

  /// Executes events until the queue is empty or the run is stopped. With an `interrupt` flag,
  /// looks at it every kInterruptCheck events and throws RunInterrupted once it is raised (from
  /// another thread); the flag is only read, so it changes nothing else about the run.
  void run(const std::atomic<bool>* interrupt = nullptr);
  static constexpr std::uint32_t kInterruptCheck = 4096;

  SimTime now() const { return now_; }
  std::uint64_t events_handled() const { return handled_; }
  std::size_t events_pending() const { return queue_.size() - cancelled_.size(); }
  /// Cancelled events still queued (the size of the cancel set).
  std::size_t events_cancelled() const { return cancelled_.size(); }
  bool stopped() const { return stopped_; }
  const std::string& handler_name(HandlerId id) const;

 private:
  struct Handler {
    std::string name;
    HandlerFn fn;
    void* context;
  };

  [[noreturn]] void throw_bad_schedule(SimTime at, HandlerId handler) const;
  /// Whether the event `id` names is still in the queue, cancelled or not.
  bool queued(EventId id) const;
  void on_stop(Simulation&, const Event&) { stopped_ = true; }

  CalendarQueue queue_;
  CancelSet cancelled_;
  std::vector<Handler> handlers_;
  SimTime now_ = SimTime::zero();
  std::uint64_t next_sequence_ = 0;
  std::uint64_t drained_below_ = 0;  // every event of a lower sequence has left the queue
  std::uint64_t handled_ = 0;
  bool stopped_ = false;
  HandlerId stop_handler_{};
};

}  // namespace interdict
