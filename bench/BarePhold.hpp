// BarePhold: PHOLD as a bare loop over a plain queue of (time, LP) records, no engine around it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "Phold.hpp"
#include "core/RandomStreams.hpp"

namespace interdict::bench {

/// What a bare loop queues: an event's time and the LP it is for.
struct PholdRecord {
  double time;
  std::uint32_t lp;
};

/// Brown's calendar queue (CACM 31(10), 1988) as one would write it by hand: a power-of-two
/// number of equal-width buckets, each a vector sorted latest-first; the number of buckets
/// doubles when there are more than two events per bucket and halves below one per two, and
/// the width is then re-estimated as three times the mean gap between the next events.
class BareCalendarQueue {
 public:
  BareCalendarQueue() : buckets_(2) {}

  bool empty() const { return size_ == 0; }

  void push(const PholdRecord& r) {
    insert(r);
    if (++size_ > 2 * buckets_.size()) resize(2 * buckets_.size());
  }

  /// Removes and returns the earliest record. Precondition: !empty().
  PholdRecord pop() {
    for (std::size_t scanned = 0; scanned < buckets_.size(); ++scanned) {
      std::vector<PholdRecord>& bucket = buckets_[year_bucket_ & mask()];
      if (!bucket.empty() && bucket_of(bucket.back().time) <= year_bucket_) {
        const PholdRecord r = bucket.back();
        bucket.pop_back();
        if (--size_ < buckets_.size() / 2 && buckets_.size() > 2) resize(buckets_.size() / 2);
        return r;
      }
      ++year_bucket_;
    }
    // A whole year without an event: jump straight to the earliest one.
    double earliest = INFINITY;
    for (const std::vector<PholdRecord>& bucket : buckets_)
      if (!bucket.empty()) earliest = std::min(earliest, bucket.back().time);
    year_bucket_ = bucket_of(earliest);
    return pop();
  }

 private:
  static bool later(const PholdRecord& a, const PholdRecord& b) { return a.time > b.time; }

  std::size_t mask() const { return buckets_.size() - 1; }
  std::uint64_t bucket_of(double time) const {
    return static_cast<std::uint64_t>(time * inverse_width_);
  }

  void insert(const PholdRecord& r) {
    std::vector<PholdRecord>& bucket = buckets_[bucket_of(r.time) & mask()];
    bucket.insert(std::upper_bound(bucket.begin(), bucket.end(), r, later), r);
  }

  // Brown's width: three times the mean gap between the next few events, leaving out gaps
  // over twice the mean.
  double estimate_width() {
    std::vector<PholdRecord> next;
    const std::size_t n = std::min<std::size_t>(size_, 25);
    for (std::size_t i = 0; i < n; ++i) {
      next.push_back(pop_without_resize());
    }
    for (const PholdRecord& r : next) {
      insert(r);
      ++size_;
    }
    if (n < 2) return 1.0;
    const double mean = (next.back().time - next.front().time) / static_cast<double>(n - 1);
    double sum = 0.0;
    std::size_t gaps = 0;
    for (std::size_t i = 1; i < n; ++i) {
      const double gap = next[i].time - next[i - 1].time;
      if (gap <= 2.0 * mean) {
        sum += gap;
        ++gaps;
      }
    }
    const double width = 3.0 * sum / static_cast<double>(std::max<std::size_t>(gaps, 1));
    return width > 0.0 ? width : 1.0;
  }

  PholdRecord pop_without_resize() {
    const std::size_t saved = size_;
    size_ = buckets_.size();  // keeps pop() from resizing
    const PholdRecord r = pop();
    size_ = saved - 1;
    return r;
  }

  void resize(std::size_t bucket_count) {
    const double width = estimate_width();
    std::vector<std::vector<PholdRecord>> old(bucket_count);
    old.swap(buckets_);
    inverse_width_ = 1.0 / width;
    double earliest = INFINITY;
    for (const std::vector<PholdRecord>& bucket : old)
      for (const PholdRecord& r : bucket) {
        insert(r);
        earliest = std::min(earliest, r.time);
      }
    year_bucket_ = std::isfinite(earliest) ? bucket_of(earliest) : 0;
  }

  std::vector<std::vector<PholdRecord>> buckets_;
  double inverse_width_ = 1.0;
  std::uint64_t year_bucket_ = 0;  // bucket number (from time 0) being consumed
  std::size_t size_ = 0;
};

/// Implicit 4-ary min-heap of records on one vector.
class BareQuaternaryHeap {
 public:
  bool empty() const { return heap_.empty(); }

  void push(const PholdRecord& r) {
    std::size_t i = heap_.size();
    heap_.push_back(r);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (heap_[parent].time <= r.time) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = r;
  }

  /// Removes and returns the earliest record. Precondition: !empty().
  PholdRecord pop() {
    const PholdRecord top = heap_.front();
    const PholdRecord last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return top;
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t least = first;
      const std::size_t end = std::min(first + 4, n);
      for (std::size_t c = first + 1; c < end; ++c)
        if (heap_[c].time < heap_[least].time) least = c;
      if (last.time <= heap_[least].time) break;
      heap_[i] = heap_[least];
      i = least;
    }
    heap_[i] = last;
    return top;
  }

 private:
  std::vector<PholdRecord> heap_;
};

/// PHOLD with the engine's workload and draws (the same stream, drawn in the same order), on a
/// bare queue. Returns the number of events handled, which equals run_phold's. Cancellation
/// (cancel_handled) is not modelled.
template <class Queue>
std::uint64_t run_bare_phold(const PholdConfig& config) {
  RandomEngine rng = RandomStreams(config.seed, 0).stream("phold");
  boost::random::exponential_distribution<double> delay(1.0 / config.mean);
  boost::random::uniform_01<double> uniform;
  boost::random::uniform_int_distribution<std::uint32_t> random_lp(0, config.lps - 1);
  Queue queue;
  for (std::uint32_t lp = 0; lp < config.lps; ++lp)
    for (std::uint32_t k = 0; k < config.events_per_lp; ++k)
      queue.push(PholdRecord{config.lookahead + delay(rng), lp});
  std::uint64_t events = 0;
  while (!queue.empty()) {
    const PholdRecord r = queue.pop();
    if (r.time > config.end) break;  // the engine's stop event runs after events at `end`
    ++events;
    std::uint32_t destination = r.lp;
    if (uniform(rng) < config.remote) destination = random_lp(rng);
    queue.push(PholdRecord{r.time + (config.lookahead + delay(rng)), destination});
  }
  return events;
}

}  // namespace interdict::bench
