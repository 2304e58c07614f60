// Shared number and time formats (see format.hpp).
#include "format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "text/time_format.hpp"

namespace logstream::cli {

std::string format_clock(double seconds) {
  if (!(seconds >= 0) || seconds > 1e9) return "--:--:--";
  return text::format_hms(static_cast<std::int64_t>(seconds));
}

std::string format_value(double value) { return fmt::format("{:.6g}", value); }

std::string format_score(double value) { return fmt::format("{:.4f}", value); }

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || !std::isfinite(value) || value < 0) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "m") scale = 60;
  else if (unit == "h") scale = 3600;
  else if (unit == "d") scale = 86400;
  else if (unit == "w") scale = 7 * 86400;
  else return std::nullopt;
  return std::chrono::seconds(static_cast<std::int64_t>(value * scale));
}

}  // namespace logstream::cli
