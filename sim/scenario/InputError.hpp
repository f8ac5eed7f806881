// InputError: bad user input (scenario, network file), located by file, line, column and key.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace interdict::scenario {

/// An error in a file the user wrote. what() reads "file:line:column: key: message", the
/// form editors and compilers use, with the parts that are unknown left out.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, int column, std::string key, std::string message);

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string key_;
  std::string message_;
};

/// A whole number written in decimal digits only (no sign, space or other text) that fits in
/// `max`, or nothing: for indices, counts and shard numbers typed by users.
std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max = UINT64_MAX);

/// Levenshtein edit distance between two strings.
std::size_t edit_distance(const std::string& a, const std::string& b);

/// " (did you mean "x"?)" for the closest candidate within a small edit distance, else "".
template <class Range>
std::string did_you_mean(const std::string& word, const Range& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::string candidate(c);
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best.empty() ? std::string() : " (did you mean \"" + best + "\"?)";
}

}  // namespace interdict::scenario
