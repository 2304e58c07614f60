// Durations as people write them on a command line: 500ms, 30s, 15m, 12h, 7d, 2w, 1.5h.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace logstream::text {

/// A non-negative number with an optional unit (ms, s, m, h, d, w; none means seconds), to the
/// millisecond; nullopt for anything else.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace logstream::text
