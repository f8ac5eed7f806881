// fuzz_network: network files (edge-list CSV, adjacency CSV, GraphML) and node tables. The
// first byte chooses the reader and direction; the rest is the file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "FuzzSupport.hpp"
#include "scenario/InputError.hpp"
#include "scenario/NetworkFile.hpp"

using namespace interdict;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t how = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  // 0: by extension and content (.csv), 1-3: the format named, 4: .graphml by extension,
  // 5: a node table.
  const int reader = how % 6;
  const bool directed = (how / 6) % 2;
  const std::string path =
      fuzz::write_scratch_file(reader == 4 ? "network.graphml" : "network.csv", bytes);
  try {
    if (reader == 5) {
      scenario::read_node_table(path);
    } else {
      std::optional<scenario::NetworkFormat> format;
      if (reader >= 1 && reader <= 3) format = static_cast<scenario::NetworkFormat>(reader - 1);
      scenario::read_network_file(path, format, directed);
    }
  } catch (const scenario::InputError&) {
  }
  return 0;
}
