// Times as text: the ISO-8601 stamps of the metrics files, the JSON events and the default log
// name, and the HH:MM:SS durations of the progress and the command's displays.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace logstream::text {

/// ISO-8601 UTC with milliseconds: "2024-05-01T12:00:00.123Z".
std::string format_iso8601_utc(std::chrono::system_clock::time_point time);
/// The inverse of format_iso8601_utc (milliseconds optional); empty for any other text.
std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text);
/// ISO-8601's basic (compact) form, whole seconds: "20240501T120000Z", fit for a file name.
std::string format_iso8601_basic_utc(std::chrono::system_clock::time_point time);
/// "HH:MM:SS" of a non-negative number of seconds; hours grow past 99 if they must.
std::string format_hms(std::int64_t seconds);

}  // namespace logstream::text
