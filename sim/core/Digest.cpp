// Digest: XXH3 (xxHash, Debian libxxhash-dev) over a file read in large blocks.
#include "core/Digest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include <xxhash.h>

namespace interdict {

namespace {

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace

std::string file_digest(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path + ": cannot read: " + std::strerror(errno));
  const std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(),
                                                                       XXH3_freeState);
  XXH3_64bits_reset(state.get());
  std::vector<char> block(std::size_t{1} << 20);
  for (;;) {
    const ssize_t n = ::read(fd, block.data(), block.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      throw std::runtime_error(path + ": cannot read: " + std::strerror(error));
    }
    XXH3_64bits_update(state.get(), block.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return hex(XXH3_64bits_digest(state.get()));
}

std::string text_digest(std::string_view text) {
  const XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  return hex(h.high64) + hex(h.low64);
}

}  // namespace interdict
