// Simulation: run loop, stop, cancellation, and the checks against time running backwards.
#include <catch2/catch.hpp>

#include <atomic>
#include <vector>

#include "core/Simulation.hpp"

using namespace interdict;

namespace {

struct Log {
  std::vector<std::pair<double, std::uint32_t>> seen;
  void on_event(Simulation& sim, const Event& e) {
    seen.emplace_back(sim.now().in_days(), e.target);
  }
};

}  // namespace

TEST_CASE("events run in time order and now() follows them", "[simulation]") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler<&Log::on_event>("log", log);
  sim.schedule(SimTime::days(3.0), h, 3);
  sim.schedule(SimTime::days(1.0), h, 1);
  sim.schedule(SimTime::days(2.0), h, 2);
  sim.run();
  CHECK(log.seen == std::vector<std::pair<double, std::uint32_t>>{{1.0, 1}, {2.0, 2}, {3.0, 3}});
  CHECK(sim.now() == SimTime::days(3.0));
  CHECK(sim.events_handled() == 3);
}

TEST_CASE("stop_at runs every event at the end time, then stops", "[simulation]") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler<&Log::on_event>("log", log);
  sim.stop_at(SimTime::days(10.0));
  sim.schedule(SimTime::days(10.0), h, 1, 0, Priority::late);
  sim.schedule(SimTime::days(10.0), h, 2);
  sim.schedule(SimTime::days(10.5), h, 3);
  sim.run();
  CHECK(log.seen == std::vector<std::pair<double, std::uint32_t>>{{10.0, 2}, {10.0, 1}});
  CHECK(sim.stopped());
  CHECK(sim.now() == SimTime::days(10.0));
}

TEST_CASE("cancelled events are skipped", "[simulation]") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler<&Log::on_event>("log", log);
  sim.schedule(SimTime::days(1.0), h, 1);
  const EventId doomed = sim.schedule(SimTime::days(2.0), h, 2);
  sim.schedule(SimTime::days(3.0), h, 3);
  sim.cancel(doomed);
  CHECK(sim.events_pending() == 2);
  sim.run();
  CHECK(log.seen == std::vector<std::pair<double, std::uint32_t>>{{1.0, 1}, {3.0, 3}});
}

TEST_CASE("cancellation set survives many cancellations", "[simulation]") {
  Simulation sim;
  Log log;
  const HandlerId h = sim.add_handler<&Log::on_event>("log", log);
  std::vector<EventId> ids;
  for (std::uint32_t i = 0; i < 5000; ++i)
    ids.push_back(sim.schedule(SimTime::days(i * 0.01), h, i));
  for (std::size_t i = 0; i < ids.size(); i += 3)
    sim.cancel(ids[i]);
  sim.run();
  REQUIRE(log.seen.size() == 5000 - 1667);
  for (const auto& [t, target] : log.seen)
    CHECK(target % 3 != 0);
}

TEST_CASE("cancelling an event that has run or been skipped leaves the cancel set empty",
          "[simulation]") {
  struct Model {
    std::vector<EventId> ids;  // by target - 1
    std::vector<std::uint32_t> seen;
    std::size_t cancelled_at_2 = 0;
    void on_event(Simulation& sim, const Event& event) {
      seen.push_back(event.target);
      if (event.target != 2) return;
      sim.cancel(ids[0]);      // ran at t = 1
      sim.cancel(event.id());  // running now
      sim.cancel(ids[2]);      // at this same time, still queued
      sim.cancel(ids[2]);      // twice is once
      cancelled_at_2 = sim.events_cancelled();
    }
  } model;
  Simulation sim;
  const HandlerId h = sim.add_handler<&Model::on_event>("model", model);
  for (const auto& [t, target] : {std::pair{1.0, 1u}, {2.0, 2u}, {2.0, 3u}, {4.0, 4u}, {6.0, 5u}})
    model.ids.push_back(sim.schedule(SimTime::days(t), h, target));
  sim.cancel(model.ids[4]);  // before the run, at the end of it
  CHECK(sim.events_cancelled() == 1);
  sim.run();
  CHECK(model.seen == std::vector<std::uint32_t>{1, 2, 4});
  CHECK(model.cancelled_at_2 == 2);  // targets 3 and 5
  CHECK(sim.events_cancelled() == 0);
  CHECK(sim.events_pending() == 0);
  // Every id now names an event that has run or been skipped, target 5 at t = 6 after the
  // last handled event (now() is 4): cancelling any of them leaves nothing behind.
  CHECK(sim.now() == SimTime::days(4.0));
  for (const EventId id : model.ids)
    sim.cancel(id);
  CHECK(sim.events_cancelled() == 0);
  // And the run goes on as if nothing had been cancelled.
  sim.schedule(SimTime::days(5.0), h, 6);
  sim.run();
  CHECK(model.seen == std::vector<std::uint32_t>{1, 2, 4, 6});
  CHECK(sim.events_cancelled() == 0);
}

TEST_CASE("scheduling in the past, at NaN or for an unknown handler is refused", "[simulation]") {
  struct Rewinder {
    void on_event(Simulation& sim, const Event&) { sim.schedule(SimTime::days(0.5), HandlerId{1}); }
  } rewinder;
  Simulation sim;
  const HandlerId h = sim.add_handler<&Rewinder::on_event>("rewinder", rewinder);
  sim.schedule(SimTime::days(1.0), h);
  CHECK_THROWS_WITH(sim.run(), Catch::Contains("cannot schedule 'rewinder' at t=0.5") &&
                                   Catch::Contains("now is t=1"));
  Simulation fresh;
  CHECK_THROWS_AS(fresh.schedule(SimTime::days(std::nan("")), HandlerId{0}), SimulationError);
  CHECK_THROWS_AS(fresh.schedule(SimTime::infinity(), HandlerId{0}), SimulationError);
  CHECK_THROWS_WITH(fresh.schedule(SimTime::days(1.0), HandlerId{99}),
                    Catch::Contains("unknown handler 99"));
}

TEST_CASE("several simulations live side by side", "[simulation]") {
  Simulation a;
  Simulation b;
  Log la;
  Log lb;
  const HandlerId ha = a.add_handler<&Log::on_event>("log", la);
  const HandlerId hb = b.add_handler<&Log::on_event>("log", lb);
  a.schedule(SimTime::days(1.0), ha, 1);
  b.schedule(SimTime::days(5.0), hb, 2);
  a.run();
  CHECK(a.now() == SimTime::days(1.0));
  CHECK(b.now() == SimTime::zero());
  b.run();
  CHECK(la.seen.size() == 1);
  CHECK(lb.seen.size() == 1);
}

namespace {

/// Reschedules itself every day forever, and raises `flag` on day `raise_on`.
struct Clock {
  HandlerId self{};
  std::atomic<bool>* flag = nullptr;
  double raise_on = 0.0;
  std::uint64_t ticks = 0;
  void on_tick(Simulation& sim, const Event&) {
    ++ticks;
    if (flag != nullptr && sim.now().in_days() >= raise_on) flag->store(true);
    sim.schedule_in(SimTime::days(1.0), self);
  }
};

}  // namespace

TEST_CASE("an interrupt flag stops a run within kInterruptCheck events and nothing else",
          "[simulation]") {
  std::atomic<bool> interrupt{false};
  {  // Never raised: the run is the same as without a flag.
    Simulation with, without;
    Clock a, b;
    a.self = with.add_handler<&Clock::on_tick>("tick", a);
    b.self = without.add_handler<&Clock::on_tick>("tick", b);
    for (Simulation* sim : {&with, &without}) {
      sim->schedule(SimTime::zero(), sim == &with ? a.self : b.self);
      sim->stop_at(SimTime::days(20000.0));
    }
    with.run(&interrupt);
    without.run();
    CHECK(a.ticks == b.ticks);
    CHECK(with.events_handled() == without.events_handled());
    CHECK(with.now() == without.now());
  }
  {  // Raised on day 100 of an endless run: it ends by throwing, at most one check later.
    Simulation sim;
    Clock c;
    c.flag = &interrupt;
    c.raise_on = 100.0;
    c.self = sim.add_handler<&Clock::on_tick>("tick", c);
    sim.schedule(SimTime::zero(), c.self);
    CHECK_THROWS_AS(sim.run(&interrupt), RunInterrupted);
    CHECK(c.ticks >= 101);
    CHECK(c.ticks <= 101 + Simulation::kInterruptCheck);
  }
}
