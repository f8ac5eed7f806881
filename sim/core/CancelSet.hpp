// CancelSet: the ids of cancelled events still in the queue, for lazy cancellation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace interdict {

/// Open-addressing hash set of event sequence numbers (linear probing, backward-shift
/// deletion, no tombstones). A cancelled event stays in the queue and is dropped when
/// popped; the pop path only pays for a lookup while something is cancelled.
class CancelSet {
 public:
  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }

  void insert(std::uint64_t sequence) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t key = sequence + 1;  // 0 marks an empty slot
    std::size_t i = home(key);
    while (slots_[i] != 0) {
      if (slots_[i] == key) return;
      i = (i + 1) & mask_;
    }
    slots_[i] = key;
    ++count_;
  }

  /// Removes the sequence number if present; returns whether it was.
  bool erase(std::uint64_t sequence) {
    if (count_ == 0) return false;
    const std::uint64_t key = sequence + 1;
    std::size_t i = home(key);
    while (slots_[i] != key) {
      if (slots_[i] == 0) return false;
      i = (i + 1) & mask_;
    }
    // Shift later members of the probe run back so lookups never stop early.
    std::size_t j = i;
    for (;;) {
      j = (j + 1) & mask_;
      if (slots_[j] == 0) break;
      const std::size_t h = home(slots_[j]);
      const bool movable = (j > i) ? (h <= i || h > j) : (h <= i && h > j);
      if (movable) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = 0;
    --count_;
    return true;
  }

 private:
  std::size_t home(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & mask_;
  }

  void grow() {
    std::vector<std::uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
    mask_ = slots_.size() - 1;
    count_ = 0;
    for (std::uint64_t key : old)
      if (key != 0) insert(key - 1);
  }

  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
};

}  // namespace interdict
