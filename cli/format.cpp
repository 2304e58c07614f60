// Shared number and time formats (see format.hpp).
#include "format.hpp"

#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace logstream::cli {

std::string format_clock(double seconds) {
  if (!(seconds >= 0) || seconds > 1e9) return "--:--:--";
  const auto total = static_cast<long long>(seconds);
  return fmt::format("{:02}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
}

std::string format_value(double value) { return fmt::format("{:.6g}", value); }

std::string format_score(double value) { return fmt::format("{:.4f}", value); }

std::string format_iso_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ((ms % 1000) + 1000) % 1000);
}

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace logstream::cli
