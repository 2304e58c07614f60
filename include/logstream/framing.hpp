// FramingOptions: how the bytes read from a stream's pipes are cut into lines (README, "Line
// framing").
#pragma once

#include <cstddef>

#include <logstream/export.hpp>

namespace logstream {

struct LOGSTREAM_API FramingOptions {
  /// A line longer than this is delivered in pieces flagged `continued`.
  std::size_t max_line_bytes = 1 << 20;
};

}  // namespace logstream
