// HeapQueue: a binary-heap event queue, the reference the faster queues are checked against.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/Event.hpp"

namespace interdict {

/// Binary min-heap of events on one contiguous vector.
class HeapQueue {
 public:
  void push(const Event& e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), RunsLater{});
  }
  /// Removes and returns the first event. Precondition: !empty().
  Event pop() {
    std::pop_heap(heap_.begin(), heap_.end(), RunsLater{});
    Event e = heap_.back();
    heap_.pop_back();
    return e;
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  std::vector<Event> heap_;
};

}  // namespace interdict
