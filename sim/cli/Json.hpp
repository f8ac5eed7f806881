// Json: the two helpers the commands need to print JSON by hand.
#pragma once

#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

namespace interdict::cli {

/// A string's contents escaped for a JSON string literal.
inline std::string json_escape(const std::string& s) {
  std::ostringstream out;
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out << "\\\"";
        break;
      case '\\':
        out << "\\\\";
        break;
      case '\n':
        out << "\\n";
        break;
      case '\r':
        out << "\\r";
        break;
      case '\t':
        out << "\\t";
        break;
      default:
        if (c < 0x20) {
          out << "\\u" << std::hex << std::setw(4) << std::setfill('0') << static_cast<int>(c)
              << std::dec;
        } else {
          out << c;
        }
    }
  }
  return out.str();
}

/// A number as JSON: 17 significant digits, null for NaN and infinities.
inline std::string json_number(double x) {
  if (!std::isfinite(x)) return "null";
  std::ostringstream out;
  out << std::setprecision(17) << x;
  return out.str();
}

}  // namespace interdict::cli
