// FormatError: a file interdict reads (result, study, journal) is foreign or damaged.
#pragma once

#include <stdexcept>

namespace interdict::io {

/// A file that is foreign, damaged or hostile; the message names the file and what is wrong.
/// The CLI reports it as bad input (exit 2), like a bad scenario.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace interdict::io
