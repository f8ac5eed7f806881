// Simulation: run loop, stop, cancellation, and the checks against time running backwards.
#include <catch2/catch.hpp>

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
