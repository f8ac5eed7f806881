// CalendarQueue: the engine's event queue, a one-rung ladder queue with a sorted head.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/Event.hpp"

namespace interdict {

/// Event queue in three tiers, after Brown's calendar queue and Tang et al.'s ladder queue:
///  - head: the few buckets now being consumed, as a vector sorted last-first;
///  - buckets: a "year" of equal-width time buckets, each an unsorted singly-linked list
///    threaded through one node pool;
///  - overflow: an unsorted vector of events beyond the year.
/// When the year is used up, the overflow is spread over a new year whose bucket width is
/// estimated from the overflow itself, so the queue adapts to the event density.
/// push and pop are O(1) amortised. Nodes are recycled through a free list, so once the
/// pool has grown to the peak number of pending events nothing is allocated.
/// Ordering is exact: the bucket index is a monotone function of time, and the head is
/// sorted by the full (time, priority, sequence) order.
class CalendarQueue {
 public:
  /// Target number of events per bucket (tuned with bench/queue_bench and bench/phold).
  static constexpr double kEventsPerBucket = 2.0;
  /// Buckets moved into the head at a time.
  static constexpr std::size_t kBucketsPerRefill = 4;

  void push(const Event& e) {
    ++size_;
    const double offset = (e.time.in_days() - base_) * inverse_width_;
    if (offset < head_limit_) {
      head_.insert(std::upper_bound(head_.begin(), head_.end(), e, RunsLater{}), e);
    } else if (offset < year_length_) {
      link(bucket_heads_[static_cast<std::size_t>(offset)], e);
    } else {
      overflow_.push_back(e);
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
    const auto same = [&probe](const Event& e) {
      return !runs_before(e, probe) && !runs_before(probe, e);
    };
    // Where push() would put it now is where it is: events move on only as their whole bucket
    // joins the head or the overflow is spread over a new year, which moves these bounds too.
    const double offset = (time.in_days() - base_) * inverse_width_;
    if (offset < head_limit_)
      return std::binary_search(head_.begin(), head_.end(), probe, RunsLater{});
    if (offset < year_length_) {
      for (std::uint32_t n = bucket_heads_[static_cast<std::size_t>(offset)]; n != kNone;
           n = nodes_[n].next)
        if (same(nodes_[n].event)) return true;
      return false;
    }
    return std::any_of(overflow_.begin(), overflow_.end(), same);
  }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;

  struct Node {
    Event event;
    std::uint32_t next;
  };

  void link(std::uint32_t& list, const Event& e) {
    std::uint32_t n = free_;
    if (n != kNone) {
      free_ = nodes_[n].next;
      nodes_[n] = Node{e, list};
    } else {
      n = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back(Node{e, list});
    }
    list = n;
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
          head_.push_back(nodes_[n].event);
          cursors[i] = nodes_[n].next;
          nodes_[n].next = free_;
          free_ = n;
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

  void start_new_year() {
    pending_.swap(overflow_);
    const std::size_t n = pending_.size();
    double lo = pending_.front().time.in_days();
    double hi = lo;
    for (const Event& e : pending_) {
      lo = std::min(lo, e.time.in_days());
      hi = std::max(hi, e.time.in_days());
    }
    // Width from the spread of the lower 90% of a sample, so that a few far-future events
    // (an end-of-run event, say) do not stretch every bucket.
    sample_.clear();
    const std::size_t stride = std::max<std::size_t>(1, n / 64);
    for (std::size_t i = 0; i < n; i += stride)
      sample_.push_back(pending_[i].time.in_days());
    const auto q = sample_.begin() + static_cast<std::ptrdiff_t>(sample_.size() * 9 / 10);
    std::nth_element(sample_.begin(), q, sample_.end());
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
    for (const Event& e : pending_) {
      const double offset = (e.time.in_days() - base_) * inverse_width_;
      if (offset < year_length_) {
        link(bucket_heads_[static_cast<std::size_t>(offset)], e);
      } else {
        overflow_.push_back(e);
      }
    }
    pending_.clear();
  }

  std::vector<Event> head_;
  std::vector<std::uint32_t> bucket_heads_;  // first node of each bucket's list
  std::vector<Node> nodes_;
  std::uint32_t free_ = kNone;  // first node of the free list
  std::vector<Event> overflow_;
  std::vector<Event> pending_;  // the overflow being spread over a new year
  std::vector<double> sample_;
  double base_ = 0.0;
  double inverse_width_ = 0.0;
  double head_limit_ = 0.0;   // offsets below this go to the head
  double year_length_ = 0.0;  // number of buckets, as a double for the comparison in push
  std::size_t bucket_count_ = 0;
  std::size_t next_bucket_ = 0;
  std::size_t size_ = 0;
};

}  // namespace interdict
