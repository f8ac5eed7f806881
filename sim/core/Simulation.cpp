// Simulation: handler registry and the run loop.
#include "core/Simulation.hpp"

#include <sstream>

namespace interdict {

Simulation::Simulation() {
  stop_handler_ = add_handler<&Simulation::on_stop>("stop", *this);
}

HandlerId Simulation::add_handler(std::string name, HandlerFn fn, void* context) {
  handlers_.push_back(Handler{std::move(name), fn, context});
  return HandlerId{static_cast<std::uint32_t>(handlers_.size() - 1)};
}

const std::string& Simulation::handler_name(HandlerId id) const {
  return handlers_.at(static_cast<std::uint32_t>(id)).name;
}

void Simulation::stop_at(SimTime end) {
  schedule(end, stop_handler_, 0, 0, Priority::last);
}

void Simulation::run(const std::atomic<bool>* interrupt) {
  std::uint32_t until_check = kInterruptCheck;
  while (!stopped_ && !queue_.empty()) {
    if (interrupt != nullptr && --until_check == 0) {
      until_check = kInterruptCheck;
      if (interrupt->load(std::memory_order_relaxed)) throw RunInterrupted();
    }
    const Event event = queue_.pop();
    if (!cancelled_.empty() && cancelled_.erase(event.sequence())) continue;
    if (event.time < now_) throw SimulationError("event queue returned an event in the past");
    now_ = event.time;
    ++handled_;
    const Handler& h = handlers_[static_cast<std::uint32_t>(event.handler)];
    h.fn(h.context, *this, event);
  }
  if (queue_.empty()) drained_below_ = next_sequence_;
}

bool Simulation::queued(EventId id) const {
  if ((id.order & Event::kSequenceMask) < drained_below_) return false;
  if (handled_ == 0) return true;  // nothing has run, and the queue has not run dry
  // Events run in time order: one later than now is still to come, one earlier has gone (a
  // cancelled one skipped at a later time is followed by an event at least as late, or by an
  // empty queue, so now() has caught up with it or drained_below_ covers it).
  if (id.time != now_) return id.time > now_;
  // At the current time some events have run and others wait, at the front of the queue.
  return queue_.contains(id.time, id.order);
}

void Simulation::throw_bad_schedule(SimTime at, HandlerId handler) const {
  std::ostringstream msg;
  if (static_cast<std::uint32_t>(handler) >= handlers_.size()) {
    msg << "cannot schedule an event for unknown handler " << static_cast<std::uint32_t>(handler);
  } else {
    msg << "cannot schedule '" << handler_name(handler) << "' at t=" << at.in_days()
        << " days: now is t=" << now_.in_days();
  }
  throw SimulationError(msg.str());
}

}  // namespace interdict
