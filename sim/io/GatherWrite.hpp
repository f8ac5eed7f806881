// GatherWrite: writing a list of memory pieces to a file descriptor, whole, in as few system
// calls as the kernel allows (journals and the bulk of study batches).
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <optional>
#include <string>
#include <vector>

namespace interdict::io {

/// Writes every byte of `pieces` to `fd`: appended (writev) or, with `offset`, from there
/// (pwritev). Retries short writes and interruptions; `pieces` is consumed. Throws
/// std::runtime_error naming `what` on failure.
void write_pieces(int fd, std::vector<iovec>& pieces, std::optional<off_t> offset,
                  const std::string& what);

}  // namespace interdict::io
