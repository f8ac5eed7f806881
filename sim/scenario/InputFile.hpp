// InputFile: reading a file the user names (scenario, study, network, node table) without
// blocking or exhausting memory: regular files only, of bounded size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace interdict::scenario {

/// Largest scenario or study file read (64 MiB): far beyond any written by hand or script.
inline constexpr std::uint64_t kMaxScenarioFileBytes = std::uint64_t{64} << 20;

/// Largest network or node-table file read (256 MiB: an edge list of about ten million ties).
inline constexpr std::uint64_t kMaxNetworkFileBytes = std::uint64_t{256} << 20;

/// The whole content of the file at `path`. Throws an InputError naming the file when it is
/// missing, not a regular file (a directory, a FIFO, a device such as /dev/zero: these are
/// refused before any read, and a FIFO is opened without blocking), larger than `max_bytes`, or
/// unreadable. `what` ("network file", say) words the error; empty for scenario and study files.
std::string read_input_file(const std::string& path,
                            std::uint64_t max_bytes = kMaxScenarioFileBytes,
                            std::string_view what = {});

}  // namespace interdict::scenario
