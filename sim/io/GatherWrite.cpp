// GatherWrite: writev/pwritev until every piece is written.
#include "io/GatherWrite.hpp"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace interdict::io {

void write_pieces(int fd, std::vector<iovec>& pieces, std::optional<off_t> offset,
                  const std::string& what) {
  std::size_t first = 0;
  while (first < pieces.size()) {
    const int count = static_cast<int>(std::min<std::size_t>(pieces.size() - first, IOV_MAX));
    const ssize_t written = offset ? ::pwritev(fd, pieces.data() + first, count, *offset)
                                   : ::writev(fd, pieces.data() + first, count);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) throw std::runtime_error(what + ": " + std::strerror(errno));
    if (offset) *offset += written;
    // Skip what was written, possibly part of a piece.
    auto left = static_cast<std::size_t>(written);
    while (first < pieces.size() && left >= pieces[first].iov_len)
      left -= pieces[first++].iov_len;
    if (left > 0) {
      pieces[first].iov_base = static_cast<char*>(pieces[first].iov_base) + left;
      pieces[first].iov_len -= left;
    }
  }
}

}  // namespace interdict::io
