// Shared number and time formats (see format.hpp).
#include "format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "text/duration.hpp"
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
  const auto ms = text::parse_duration(text);
  if (!ms) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*ms);
}

}  // namespace logstream::cli
