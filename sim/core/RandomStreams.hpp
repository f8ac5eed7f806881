// RandomStreams: independent named random-number streams keyed by (seed, replicate, name).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>

namespace interdict {

/// The engine every mechanism draws from (Boost.Random's 64-bit Mersenne Twister).
using RandomEngine = boost::random::mt19937_64;

/// Which streams the model draws from and what they are named. Raise it whenever a change gives
/// a mechanism other draws (a stream split, a renamed stream): results of the same seed then
/// differ, and a sweep refuses to resume runs made under another scheme.
inline constexpr int kStreamScheme = 2;

/// splitmix64's finaliser: a bijective mix of 64 bits (Steele, Lea & Flood 2014).
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// 64-bit FNV-1a hash of a name.
constexpr std::uint64_t hash_name(std::string_view name) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
  }
  return h;
}

/// Hands out one engine per purpose ("arrivals", "travel", "detection", ...). Each engine's
/// seed is a hash of (seed, replicate, name) only, so a stream never depends on which other
/// streams exist, on the order they were made in, or on MPI rank or position in a sweep.
class RandomStreams {
 public:
  RandomStreams(std::uint64_t seed, std::uint64_t replicate) : seed_(seed), replicate_(replicate) {}

  /// The 64-bit seed of stream `name`.
  static std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t replicate,
                                   std::string_view name);

  /// A fresh engine for stream `name`. Asking twice gives two engines in the same state.
  RandomEngine stream(std::string_view name) const;

  std::uint64_t seed() const { return seed_; }
  std::uint64_t replicate() const { return replicate_; }

 private:
  std::uint64_t seed_;
  std::uint64_t replicate_;
};

/// A stream made on its first draw, for purposes many runs never draw from (a stream depends
/// only on its name, so when it is made changes no draw, and a run pays nothing for streams it
/// does not use). A uniform random bit generator itself: distributions draw from it directly.
class LazyStream {
 public:
  using result_type = RandomEngine::result_type;
  LazyStream(const RandomStreams& streams, std::string name)
      : streams_(streams), name_(std::move(name)) {}

  static result_type min() { return (RandomEngine::min)(); }
  static result_type max() { return (RandomEngine::max)(); }
  result_type operator()() { return engine()(); }
  /// The engine, made now if this is the first draw.
  RandomEngine& engine() {
    if (!engine_) engine_.emplace(streams_.stream(name_));
    return *engine_;
  }

 private:
  RandomStreams streams_;
  std::string name_;
  std::optional<RandomEngine> engine_;
};

/// An exponential wait of the given mean drawn from `rng`, or 0 without a draw when the mean is
/// not positive (a delay switched off).
template <class Engine>
double exponential_wait(double mean, Engine& rng) {
  return mean > 0.0 ? boost::random::exponential_distribution<double>(1.0 / mean)(rng) : 0.0;
}

}  // namespace interdict
