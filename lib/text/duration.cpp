// Durations as text (see duration.hpp).
#include "text/duration.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace logstream::text {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || !std::isfinite(value) || value < 0) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double ms = 0;
  if (unit == "ms") ms = 1;
  else if (unit.empty() || unit == "s") ms = 1e3;
  else if (unit == "m") ms = 60e3;
  else if (unit == "h") ms = 3600e3;
  else if (unit == "d") ms = 86400e3;
  else if (unit == "w") ms = 7 * 86400e3;
  else return std::nullopt;
  const double total = value * ms;
  if (total > 1e15) return std::nullopt;  // past any run's length: a typo
  return std::chrono::milliseconds(static_cast<std::int64_t>(total));
}

}  // namespace logstream::text
