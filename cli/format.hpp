// Number and time formats shared by the panel, the plain status, the summary and JSON.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace logstream::cli {

/// "HH:MM:SS" (hours grow past 99 if they must); negative or NaN shows as "--:--:--".
std::string format_clock(double seconds);
/// A metric value in at most ~6 significant digits ("0.2513", "1.2e+06").
std::string format_value(double value);
/// A score as the seed prints it: four decimals.
std::string format_score(double value);
/// Seconds as a double.
/// "30s", "15m", "12h", "7d", "2w" (a bare number: seconds); empty when it does not parse.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to);

}  // namespace logstream::cli
