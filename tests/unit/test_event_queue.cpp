// Event queues: total order, ties, agreement of the calendar queue with the heap, its event pool.
#include <catch2/catch.hpp>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <cmath>
#include <unordered_set>
#include <vector>

#include "core/CalendarQueue.hpp"
#include "core/EventPool.hpp"
#include "core/HeapQueue.hpp"
#include "core/RandomStreams.hpp"

using namespace interdict;

namespace {

Event make_event(double t, std::uint64_t sequence, Priority p = Priority::normal) {
  return Event{SimTime::days(t),
               (std::uint64_t{static_cast<std::uint8_t>(p)} << Event::kSequenceBits) | sequence,
               HandlerId{0}, static_cast<std::uint32_t>(sequence), 0};
}

// Draws the increment of the next event's time under one of several adversarial laws.
double increment(int law, RandomEngine& rng) {
  boost::random::uniform_01<double> u;
  switch (law) {
    case 0:
      return 0.1 + boost::random::exponential_distribution<double>(1.0 / 0.9)(rng);  // PHOLD
    case 1:
      return std::floor(u(rng) * 3.0);  // many exact ties
    case 2:
      return u(rng) < 0.01 ? 1e4 * u(rng) : 1e-3 * u(rng);  // bimodal, far future
    case 3:
      return 0.0;  // all at one time
    default:
      return u(rng) * u(rng) * 50.0;  // skewed
  }
}

}  // namespace

TEMPLATE_TEST_CASE("queues pop in (time, priority, sequence) order", "[queue]", HeapQueue,
                   CalendarQueue) {
  TestType q;
  q.push(make_event(2.0, 0));
  q.push(make_event(1.0, 1, Priority::late));
  q.push(make_event(1.0, 2, Priority::early));
  q.push(make_event(1.0, 3));
  q.push(make_event(1.0, 4));
  q.push(make_event(0.5, 5, Priority::last));
  std::vector<std::uint32_t> order;
  while (!q.empty())
    order.push_back(q.pop().target);
  CHECK(order == std::vector<std::uint32_t>{5, 2, 3, 4, 1, 0});
}

TEST_CASE("calendar queue agrees with the binary heap on interleaved pushes and pops", "[queue]") {
  const int law = GENERATE(0, 1, 2, 3, 4);
  CAPTURE(law);
  RandomEngine rng = RandomStreams(7, static_cast<std::uint64_t>(law)).stream("queue-test");
  RandomEngine pick_rng = RandomStreams(7, static_cast<std::uint64_t>(law)).stream("queue-pick");
  boost::random::uniform_int_distribution<int> burst(0, 3);
  HeapQueue reference;
  CalendarQueue calendar;
  std::vector<Event> pushed;
  std::unordered_set<std::uint64_t> queued;  // orders of the events in the queue
  const auto push = [&](const Event& e) {
    reference.push(e);
    calendar.push(e);
    pushed.push_back(e);
    queued.insert(e.order);
  };
  std::uint64_t sequence = 0;
  double now = 0.0;
  for (int i = 0; i < 2000; ++i)
    push(make_event(now + increment(law, rng), sequence++, static_cast<Priority>(burst(rng) * 64)));
  for (int step = 0; step < 60000 && !reference.empty(); ++step) {
    const Event expected = reference.pop();
    const Event actual = calendar.pop();
    REQUIRE(actual.order == expected.order);
    REQUIRE(actual.time == expected.time);
    queued.erase(actual.order);
    REQUIRE_FALSE(calendar.contains(actual.time, actual.order));
    if (step % 16 == 0) {  // contains() agrees on any event ever pushed, queued or gone
      const Event& e = pushed[boost::random::uniform_int_distribution<std::size_t>(
          0, pushed.size() - 1)(pick_rng)];
      REQUIRE(calendar.contains(e.time, e.order) == (queued.count(e.order) > 0));
    }
    now = actual.time.in_days();
    // Hold-model steady state with occasional bursts and droughts, so the queue resizes.
    const int pushes = step < 40000 ? burst(rng) % 3 : 0;
    for (int k = 0; k < pushes; ++k)
      push(make_event(now + increment(law, rng), sequence++,
                      static_cast<Priority>(burst(rng) * 64)));
    REQUIRE(calendar.size() == reference.size());
  }
  CHECK(calendar.empty() == reference.empty());
}

TEST_CASE("calendar queue handles an event far beyond all others", "[queue]") {
  CalendarQueue q;
  q.push(make_event(1e9, 0));
  for (std::uint64_t i = 1; i <= 1000; ++i)
    q.push(make_event(static_cast<double>(i) * 1e-3, i));
  double last = -1.0;
  while (!q.empty()) {
    const Event e = q.pop();
    REQUIRE(e.time.in_days() >= last);
    last = e.time.in_days();
  }
  CHECK(last == 1e9);
}

TEST_CASE("time_key preserves the order of times", "[queue]") {
  const double times[] = {-1e300, -2.5, -1e-300, 0.0, 1e-300, 1e-9, 0.1, 1.0, 2.5, 365.0, 1e300};
  for (std::size_t i = 0; i + 1 < std::size(times); ++i) {
    CAPTURE(times[i], times[i + 1]);
    CHECK(time_key(SimTime::days(times[i])) < time_key(SimTime::days(times[i + 1])));
  }
}

TEST_CASE("event pool grows chunk by chunk without moving nodes, and reuses freed ones",
          "[queue]") {
  EventPool pool;
  CHECK(pool.capacity() == 0);
  const std::uint32_t count = 3 * EventPool::kChunkNodes + 5;
  std::vector<std::uint32_t> nodes;
  std::uint32_t list = EventPool::kNone;
  for (std::uint32_t i = 0; i < count; ++i) {
    list = pool.allocate(make_event(static_cast<double>(i), i), list);
    nodes.push_back(list);
  }
  const EventPool::Node* first = &pool[nodes.front()];
  CHECK(pool.capacity() == 4 * EventPool::kChunkNodes);
  // Every node still holds its event and links to the one allocated before it, and the first
  // node did not move when later chunks were added.
  for (std::uint32_t i = 0; i < count; ++i) {
    REQUIRE(pool[nodes[i]].event.target == i);
    REQUIRE(pool[nodes[i]].next == (i == 0 ? EventPool::kNone : nodes[i - 1]));
  }
  CHECK(&pool[nodes.front()] == first);
  // Freed nodes come back last-in first-out, before any new chunk is added.
  const std::uint32_t a = nodes[10];
  const std::uint32_t b = nodes[EventPool::kChunkNodes + 3];
  pool.release(a);
  pool.release(b);
  CHECK(pool.allocate(make_event(0.0, 0), EventPool::kNone) == b);
  CHECK(pool.allocate(make_event(0.0, 0), EventPool::kNone) == a);
  CHECK(pool.capacity() == 4 * EventPool::kChunkNodes);
}

TEST_CASE("calendar queue agrees with the heap when its pool spans many chunks and years",
          "[queue]") {
  // PHOLD-like hold model on 20 chunks' worth of events, times rounded to 1/64 day so that many
  // fall on the same time and the order word decides; the overflow is spread over new years
  // repeatedly, and its sample thinned many times.
  RandomEngine rng = RandomStreams(11, 0).stream("queue-chunks");
  boost::random::exponential_distribution<double> delay(1.0 / 0.9);
  boost::random::uniform_int_distribution<int> priority(0, 3);
  const auto next_time = [&](double now) {
    return now + std::round(64.0 * (0.1 + delay(rng))) / 64.0;
  };
  HeapQueue reference;
  CalendarQueue calendar;
  std::uint64_t sequence = 0;
  const auto push = [&](double t) {
    const Event e = make_event(t, sequence++, static_cast<Priority>(priority(rng) * 64));
    reference.push(e);
    calendar.push(e);
  };
  for (std::uint32_t i = 0; i < 20 * EventPool::kChunkNodes; ++i)
    push(next_time(0.0));
  for (int step = 0; step < 400000; ++step) {
    const Event expected = reference.pop();
    const Event actual = calendar.pop();
    REQUIRE(actual.order == expected.order);
    REQUIRE(actual.time == expected.time);
    push(next_time(actual.time.in_days()));
  }
  CHECK(calendar.size() == reference.size());
}

TEST_CASE("calendar queue finds queued events in its head, its buckets and its overflow",
          "[queue]") {
  CalendarQueue q;
  // 3,000 events over ten days, and ten far beyond them that stay in the overflow when the
  // first year is laid over the queue (its buckets stop short of the far events).
  std::vector<Event> events;
  for (std::uint64_t i = 0; i < 3000; ++i)
    events.push_back(make_event(1e-3 + static_cast<double>(i) * 1e-3 * 3.3, i));
  for (std::uint64_t i = 0; i < 10; ++i)
    events.push_back(make_event(1e4 + static_cast<double>(i), 3000 + i));
  for (const Event& e : events)
    q.push(e);
  for (const Event& e : events)
    REQUIRE(q.contains(e.time, e.order));  // all in the overflow before the first pop
  std::size_t popped = 0;
  for (; popped < 1500; ++popped)
    REQUIRE(q.pop().order == events[popped].order);
  // Now the earlier half is gone, the next events are in the head, later ones in buckets, the
  // far ones in the overflow; none is reported twice or lost.
  for (std::size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    REQUIRE(q.contains(events[i].time, events[i].order) == (i >= popped));
  }
  // An event pushed into the overflow now, at a time some event already has, is found by its
  // order word alone.
  const Event twin = make_event(1e4, 5000);
  q.push(twin);
  CHECK(q.contains(twin.time, twin.order));
  CHECK_FALSE(q.contains(twin.time, twin.order + 1));
  while (!q.empty())
    q.pop();
  CHECK_FALSE(q.contains(twin.time, twin.order));
}
