// Digest: XXH3 checksums of files and texts, as hexadecimal strings.
#pragma once

#include <string>
#include <string_view>

namespace interdict {

/// XXH3-64 of a file's bytes, 16 hexadecimal digits. Throws std::runtime_error naming the file
/// when it cannot be read.
std::string file_digest(const std::string& path);

/// XXH3-128 of a text, 32 hexadecimal digits.
std::string text_digest(std::string_view text);

}  // namespace interdict
