// RandomStreams: seeding of named streams.
#include "core/RandomStreams.hpp"

#include <array>

#include <boost/random/seed_seq.hpp>

namespace interdict {

std::uint64_t RandomStreams::stream_seed(std::uint64_t seed, std::uint64_t replicate,
                                         std::string_view name) {
  return mix64(mix64(mix64(seed) ^ replicate) ^ hash_name(name));
}

RandomEngine RandomStreams::stream(std::string_view name) const {
  const std::uint64_t s = stream_seed(seed_, replicate_, name);
  // Spread the 64-bit key over the whole Mersenne Twister state via a seed sequence, so
  // nearby keys do not give correlated initial states.
  const std::array<std::uint32_t, 4> words{
      static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(s >> 32),
      static_cast<std::uint32_t>(mix64(s)), static_cast<std::uint32_t>(mix64(s) >> 32)};
  boost::random::seed_seq sequence(words.begin(), words.end());
  return RandomEngine(sequence);
}

}  // namespace interdict
