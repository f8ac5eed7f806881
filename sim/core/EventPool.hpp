// EventPool: the calendar queue's storage, events in never-moving chunks linked by 32-bit index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "core/Event.hpp"

namespace interdict {

/// Nodes (an event and the index of the next node in its list) in chunks of a fixed size.
/// Growing adds one chunk and moves nothing, so the pool never holds two copies of its nodes
/// and a node's index stays valid. Released nodes are reused last-in first-out (they are the
/// likeliest to be in cache) through a free list threaded through the nodes themselves.
class EventPool {
 public:
  /// The index that ends a list.
  static constexpr std::uint32_t kNone = UINT32_MAX;
  /// log2 of the nodes per chunk: 1,024 nodes, 40 KiB (small enough for malloc to recycle
  /// between the short runs of a sweep rather than map afresh).
  static constexpr unsigned kChunkBits = 10;
  static constexpr std::uint32_t kChunkNodes = std::uint32_t{1} << kChunkBits;

  struct Node {
    Event event;
    std::uint32_t next;
  };

  /// A node holding `e`, linked in front of `next`; returns its index.
  std::uint32_t allocate(const Event& e, std::uint32_t next) {
    const std::uint32_t n = free_;
    if (n == kNone) return allocate_new(e, next);
    Node& node = (*this)[n];
    free_ = node.next;
    node.event = e;
    node.next = next;
    return n;
  }

  /// Returns node `n` to the free list.
  void release(std::uint32_t n) {
    (*this)[n].next = free_;
    free_ = n;
  }

  Node& operator[](std::uint32_t n) { return chunks_[n >> kChunkBits][n & (kChunkNodes - 1)]; }
  const Node& operator[](std::uint32_t n) const {
    return chunks_[n >> kChunkBits][n & (kChunkNodes - 1)];
  }

  /// Nodes the chunks can hold: the peak number of nodes in use, rounded up to a chunk.
  std::size_t capacity() const { return chunks_.size() * kChunkNodes; }

 private:
  // A node never used before, from the last chunk or a new one. Kept out of allocate(), which
  // once the pool has grown only ever takes from the free list.
  [[gnu::noinline]] std::uint32_t allocate_new(const Event& e, std::uint32_t next) {
    if (used_ == chunks_.size() * kChunkNodes) {
      if (chunks_.size() + 1 >= (std::size_t{1} << (32 - kChunkBits)))
        throw std::length_error("EventPool: more than 4 billion pending events");
      // Left uninitialised: nothing is written (no page touched) until a node is handed out.
      chunks_.push_back(std::make_unique_for_overwrite<Node[]>(kChunkNodes));
    }
    const std::uint32_t n = used_++;
    (*this)[n] = Node{e, next};
    return n;
  }

  std::vector<std::unique_ptr<Node[]>> chunks_;
  std::uint32_t used_ = 0;  // nodes handed out from the chunks so far (the rest never used)
  std::uint32_t free_ = kNone;
};

}  // namespace interdict
