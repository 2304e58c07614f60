// count_of: how often a piece of text occurs in a text (overlapping occurrences too).
#pragma once

#include <cstddef>
#include <string_view>

namespace logstream::test {

inline std::size_t count_of(std::string_view text, std::string_view piece) {
  std::size_t n = 0;
  for (auto at = text.find(piece); at != std::string_view::npos; at = text.find(piece, at + 1)) ++n;
  return n;
}

}  // namespace logstream::test
