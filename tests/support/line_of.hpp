// line_of: a Line to feed an extractor directly, without a framer.
#pragma once

#include <cstdint>
#include <string_view>

#include <logstream/line.hpp>

namespace logstream::test {

inline Line line_of(std::string_view text, std::uint64_t seq = 1) {
  Line line;
  line.text = text;
  line.seq = seq;
  return line;
}

}  // namespace logstream::test
