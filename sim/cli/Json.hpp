// Json: JSON output of the commands, through nlohmann-json.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

namespace interdict::cli {

/// A JSON value whose objects keep their keys in the order the commands set them.
using Json = nlohmann::ordered_json;

/// Prints `value` indented, and a newline. Text that is not UTF-8 (a label from a network file,
/// a name in a foreign file) has U+FFFD in place of each bad byte, so the output is always
/// valid JSON; NaN and infinities print as null.
inline void print_json(std::ostream& out, const Json& value) {
  out << value.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace interdict::cli
