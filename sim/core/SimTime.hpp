// SimTime: the one strong type for simulated time, measured in days.
#pragma once

#include <compare>
#include <limits>

namespace interdict {

/// A point in, or span of, simulated time in days. Arithmetic stays inside the type so that
/// times cannot be silently mixed with kilograms, rates or counts.
class SimTime {
 public:
  constexpr SimTime() = default;

  /// Makes a time from a number of days.
  static constexpr SimTime days(double d) { return SimTime(d); }
  /// Makes a time from a number of hours.
  static constexpr SimTime hours(double h) { return SimTime(h / 24.0); }
  static constexpr SimTime zero() { return SimTime(0.0); }
  static constexpr SimTime infinity() { return SimTime(std::numeric_limits<double>::infinity()); }

  /// The time as a number of days.
  constexpr double in_days() const { return days_; }
  constexpr double in_hours() const { return days_ * 24.0; }
  /// True unless the time is NaN or infinite.
  constexpr bool is_finite() const {
    return days_ - days_ == 0.0;  // false for NaN and +-infinity
  }

  constexpr SimTime operator+(SimTime o) const { return SimTime(days_ + o.days_); }
  constexpr SimTime operator-(SimTime o) const { return SimTime(days_ - o.days_); }
  constexpr SimTime operator*(double k) const { return SimTime(days_ * k); }
  constexpr SimTime& operator+=(SimTime o) {
    days_ += o.days_;
    return *this;
  }
  constexpr bool operator==(const SimTime&) const = default;
  constexpr auto operator<=>(const SimTime&) const = default;

 private:
  constexpr explicit SimTime(double d) : days_(d) {}
  double days_ = 0.0;
};

}  // namespace interdict
