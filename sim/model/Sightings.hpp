// Sightings: when enforcement learned one item of its picture, and whether it is actionable.
#pragma once

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "model/ModelSpec.hpp"

namespace interdict::model {

/// An item learned at times t is actionable at `now` for an agency with sharing delay d when
/// the latest t <= now - d has now - d - t < lifetime. Any delay up to `max_delay` must be
/// answered exactly, so the item keeps the times after now - max_delay and the newest one at or
/// before it: an older one can never again be the latest usable, as time only moves on.
class Sightings {
 public:
  /// Never learned.
  bool empty() const { return times_.empty(); }
  /// Times kept, oldest first.
  std::size_t size() const { return times_.size(); }

  /// Records a learning at `now` (times never decrease); false if already learned at `now`.
  bool learn(double now, double max_delay) {
    if (!times_.empty() && times_.back() == now) return false;
    times_.push_back(now);
    const double horizon = now - max_delay;
    std::size_t stale = 0;  // times with a newer one also at or before the horizon
    while (stale + 1 < times_.size() && times_[stale + 1] <= horizon)
      ++stale;
    times_.erase(times_.begin(), times_.begin() + static_cast<std::ptrdiff_t>(stale));
    return true;
  }

  /// Whether the item is actionable at `now` with `delay` (at most the max_delay of learn()).
  bool actionable(double now, double delay, double lifetime) const {
    const double usable_from = now - delay;
    const std::size_t usable = usable_count(usable_from);
    return usable > 0 && usable_from - times_[usable - 1] < lifetime;
  }

  /// The first time after `now` at which actionable() may change with `delay`: when a newer time
  /// becomes usable, or the latest usable one lapses; kNever if neither happens.
  double next_change(double now, double delay, double lifetime) const {
    const double usable_from = now - delay;
    // Rounding may put an edge at or before `now` although it lies ahead: then just after now.
    const auto after_now = [now](double edge) {
      return edge > now ? edge : std::nextafter(now, kNever);
    };
    const std::size_t usable = usable_count(usable_from);
    double next = kNever;
    if (usable > 0 && usable_from - times_[usable - 1] < lifetime)
      next = after_now(times_[usable - 1] + delay + lifetime);
    if (usable < times_.size()) next = std::min(next, after_now(times_[usable] + delay));
    return next;
  }

 private:
  /// How many times are at or before `usable_from` (the oldest ones: times are sorted).
  std::size_t usable_count(double usable_from) const {
    std::size_t n = times_.size();
    while (n > 0 && times_[n - 1] > usable_from)
      --n;
    return n;
  }

  boost::container::small_vector<double, 2> times_;
};

}  // namespace interdict::model
