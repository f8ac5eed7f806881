// CalendarQueue: the engine's event queue, a one-rung ladder queue with a sorted head.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/Event.hpp"
#include "core/EventPool.hpp"

namespace interdict {

/// Event queue in three tiers, after Brown's calendar queue and Tang et al.'s ladder queue:
///  - head: the few buckets now being consumed, as a vector sorted last-first;
///  - buckets: a "year" of equal-width time buckets, each an unsorted singly-linked list;
///  - overflow: events beyond the year, unsorted, in a few lists dealt round robin.
/// Bucket and overflow lists are threaded through one EventPool, so every queued event outside
/// the head is one 40-byte node. When the year is used up, the overflow is spread over a new
/// year whose bucket width is estimated from the overflow itself (its range and a sample kept
/// as events enter it), so the queue adapts to the event density; spreading relinks the nodes
/// and copies nothing. push and pop are O(1) amortised; once the pool has grown to the peak
/// number of pending events nothing is allocated. Ordering is exact: the bucket index is a
/// monotone function of time, and the head is sorted by the full (time, priority, sequence)
/// order.
class CalendarQueue {
 public:
  /// Target number of events per bucket (tuned with bench/queue_bench and bench/phold).
  static constexpr double kEventsPerBucket = 2.0;
  /// Buckets moved into the head at a time.
  static constexpr std::size_t kBucketsPerRefill = 4;
  /// Lists the overflow is dealt into, walked in lock step when it is spread over a new year.
  static constexpr std::size_t kOverflowLists = 8;

  CalendarQueue() { std::fill(overflow_heads_, overflow_heads_ + kOverflowLists, kNone); }

  void push(const Event& e) {
    ++size_;
    const double offset = (e.time.in_days() - base_) * inverse_width_;
    if (offset < head_limit_) {
      head_.insert(std::upper_bound(head_.begin(), head_.end(), e, RunsLater{}), e);
    } else if (offset < year_length_) {
      std::uint32_t& list = bucket_heads_[static_cast<std::size_t>(offset)];
      list = pool_.allocate(e, list);
    } else {
      push_overflow(e);
    }
  }

  /// Removes and returns the first event. Precondition: !empty().
  Event pop() {
    if (head_.empty()) refill_head();
    const Event e = head_.back();
    head_.pop_back();
    --size_;
    return e;
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  /// Whether the event of this time and order word is queued: a binary search where it sits
  /// in the head (events at the time of the last pop always do), else a walk of its bucket's
  /// list or of the overflow.
  bool contains(SimTime time, std::uint64_t order) const {
    const Event probe{time, order};
    // Where push() would put it now is where it is: events move on only as their whole bucket
    // joins the head or the overflow is spread over a new year, which moves these bounds too.
    const double offset = (time.in_days() - base_) * inverse_width_;
    if (offset < head_limit_)
      return std::binary_search(head_.begin(), head_.end(), probe, RunsLater{});
    if (offset < year_length_)
      return list_contains(bucket_heads_[static_cast<std::size_t>(offset)], probe);
    return std::any_of(overflow_heads_, overflow_heads_ + kOverflowLists,
                       [&](std::uint32_t list) { return list_contains(list, probe); });
  }

 private:
  static constexpr std::uint32_t kNone = EventPool::kNone;

  /// What start_new_year needs to know of the overflow, gathered as events enter it: their
  /// number, range, and a systematic sample of their times (every stride-th, thinned by half
  /// when full, so it holds 64 to 128 times however large the overflow grows).
  struct OverflowSummary {
    static constexpr std::size_t kSampleCap = 128;
    std::size_t count = 0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    std::vector<double> sample;
    std::size_t stride = 1;
    std::size_t countdown = 1;

    void add(double t) {
      ++count;
      lo = std::min(lo, t);
      hi = std::max(hi, t);
      if (--countdown == 0) take_sample(t);
    }
    // Out of line, as push_overflow() is, for the same reason.
    [[gnu::noinline]] void take_sample(double t) {
      countdown = stride;
      sample.push_back(t);
      if (sample.size() < kSampleCap) return;
      for (std::size_t i = 0; i < kSampleCap / 2; ++i)
        sample[i] = sample[2 * i + 1];
      sample.resize(kSampleCap / 2);
      stride *= 2;
      countdown = stride;
    }
    void clear() {
      count = 0;
      lo = std::numeric_limits<double>::infinity();
      hi = -std::numeric_limits<double>::infinity();
      sample.clear();
      stride = 1;
      countdown = 1;
    }
  };

  // Out of line: inlined, it makes push() too large for GCC to inline Simulation::schedule into
  // handlers, which costs more (bench/phold under callgrind) than this call.
  [[gnu::noinline]] void push_overflow(const Event& e) {
    std::uint32_t& list = overflow_heads_[overflow_.count % kOverflowLists];
    list = pool_.allocate(e, list);
    overflow_.add(e.time.in_days());
  }

  bool list_contains(std::uint32_t n, const Event& probe) const {
    for (; n != kNone; n = pool_[n].next) {
      const Event& e = pool_[n].event;
      if (!runs_before(e, probe) && !runs_before(probe, e)) return true;
    }
    return false;
  }

  // Moves the next few buckets into the head. Their lists are walked in lock step, so the
  // loads of nodes scattered through the pool overlap instead of waiting on each other.
  void refill_head() {
    while (head_.empty()) {
      if (next_bucket_ == bucket_count_) {
        start_new_year();
        continue;
      }
      const std::size_t end = std::min(next_bucket_ + kBucketsPerRefill, bucket_count_);
      std::uint32_t cursors[kBucketsPerRefill];
      std::size_t lists = 0;
      for (std::size_t b = next_bucket_; b < end; ++b) {
        cursors[lists++] = bucket_heads_[b];
        bucket_heads_[b] = kNone;
      }
      for (bool more = true; more;) {
        more = false;
        for (std::size_t i = 0; i < lists; ++i) {
          const std::uint32_t n = cursors[i];
          if (n == kNone) continue;
          head_.push_back(pool_[n].event);
          cursors[i] = pool_[n].next;
          pool_.release(n);
          more = true;
        }
      }
      next_bucket_ = end;
      head_limit_ = static_cast<double>(end);
      sort_head();
    }
  }

  // Insertion sort, last-first: refills hold a handful of events, where it beats std::sort.
  void sort_head() {
    if (head_.size() > 32) {
      std::sort(head_.begin(), head_.end(), RunsLater{});
      return;
    }
    for (std::size_t i = 1; i < head_.size(); ++i) {
      const Event e = head_[i];
      std::size_t j = i;
      for (; j > 0 && runs_before(head_[j - 1], e); --j)
        head_[j] = head_[j - 1];
      head_[j] = e;
    }
  }

  // Lays a new year over the overflow's range, then moves each overflow node into its bucket
  // or, beyond the new year, into the new overflow.
  void start_new_year() {
    const std::size_t n = overflow_.count;
    const double lo = overflow_.lo;
    const double hi = overflow_.hi;
    // Width from the spread of the lower 90% of the sample, so that a few far-future events
    // (an end-of-run event, say) do not stretch every bucket.
    std::vector<double>& sample = overflow_.sample;
    const auto q = sample.begin() + static_cast<std::ptrdiff_t>(sample.size() * 9 / 10);
    std::nth_element(sample.begin(), q, sample.end());
    double width = (*q - lo) / (0.9 * static_cast<double>(n)) * kEventsPerBucket;
    if (!(width > 0.0) || !std::isfinite(width)) width = std::max(hi - lo, 1.0);

    // Enough buckets to reach the latest event, but never many more than there are events.
    const double wanted =
        std::min((hi - lo) / width + 1.0, 2.0 * static_cast<double>(n) / kEventsPerBucket + 1.0);
    bucket_count_ = static_cast<std::size_t>(wanted);
    bucket_heads_.assign(bucket_count_, kNone);
    base_ = lo;
    inverse_width_ = 1.0 / width;
    year_length_ = static_cast<double>(bucket_count_);
    next_bucket_ = 0;
    head_limit_ = 0.0;
    spread_overflow();
  }

  // Relinks every node of the old overflow lists, walked in lock step like refill_head's.
  void spread_overflow() {
    std::uint32_t cursors[kOverflowLists];
    std::copy(overflow_heads_, overflow_heads_ + kOverflowLists, cursors);
    std::fill(overflow_heads_, overflow_heads_ + kOverflowLists, kNone);
    overflow_.clear();
    for (bool more = true; more;) {
      more = false;
      for (std::uint32_t& cursor : cursors) {
        const std::uint32_t n = cursor;
        if (n == kNone) continue;
        EventPool::Node& node = pool_[n];
        cursor = node.next;
        const double t = node.event.time.in_days();
        const double offset = (t - base_) * inverse_width_;
        std::uint32_t* list = nullptr;
        if (offset < year_length_) {
          list = &bucket_heads_[static_cast<std::size_t>(offset)];
        } else {
          list = &overflow_heads_[overflow_.count % kOverflowLists];
          overflow_.add(t);
        }
        node.next = *list;
        *list = n;
        more = true;
      }
    }
  }

  std::vector<Event> head_;
  std::vector<std::uint32_t> bucket_heads_;       // first node of each bucket's list
  std::uint32_t overflow_heads_[kOverflowLists];  // first node of each overflow list
  OverflowSummary overflow_;
  EventPool pool_;
  double base_ = 0.0;
  double inverse_width_ = 0.0;
  double head_limit_ = 0.0;   // offsets below this go to the head
  double year_length_ = 0.0;  // number of buckets, as a double for the comparison in push
  std::size_t bucket_count_ = 0;
  std::size_t next_bucket_ = 0;
  std::size_t size_ = 0;
};

}  // namespace interdict
