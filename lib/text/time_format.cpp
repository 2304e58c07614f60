// Time formats (see time_format.hpp).
#include "text/time_format.hpp"

#include <cstdio>
#include <ctime>

#include <fmt/format.h>

namespace logstream::text {
namespace {

struct UtcTime {
  std::tm tm{};
  int milliseconds = 0;
};

UtcTime split_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(time.time_since_epoch());
  // floor, not a cast: a time before the epoch belongs to the second that starts before it.
  const auto whole = floor<seconds>(ms);
  const auto secs = static_cast<std::time_t>(whole.count());
  UtcTime utc;
  ::gmtime_r(&secs, &utc.tm);
  utc.milliseconds = static_cast<int>((ms - whole).count());
  return utc;
}

}  // namespace

std::string format_iso8601_utc(std::chrono::system_clock::time_point time) {
  const UtcTime t = split_utc(time);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", t.tm.tm_year + 1900, t.tm.tm_mon + 1,
                     t.tm.tm_mday, t.tm.tm_hour, t.tm.tm_min, t.tm.tm_sec, t.milliseconds);
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text) {
  std::tm tm{};
  int milliseconds = 0;
  int consumed = 0;
  const std::string copy(text);  // sscanf needs a terminated string
  const int fields = std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed);
  if (fields != 6) return std::nullopt;
  std::string_view rest = std::string_view(copy).substr(static_cast<std::size_t>(consumed));
  if (rest.size() == 5 && rest[0] == '.') {
    for (char c : rest.substr(1, 3)) {
      if (c < '0' || c > '9') return std::nullopt;
      milliseconds = milliseconds * 10 + (c - '0');
    }
    rest.remove_prefix(4);
  }
  if (rest != "Z") return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t secs = ::timegm(&tm);
  return std::chrono::system_clock::time_point(std::chrono::seconds(secs)) + std::chrono::milliseconds(milliseconds);
}

std::string format_iso8601_basic_utc(std::chrono::system_clock::time_point time) {
  const UtcTime t = split_utc(time);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", t.tm.tm_year + 1900, t.tm.tm_mon + 1, t.tm.tm_mday,
                     t.tm.tm_hour, t.tm.tm_min, t.tm.tm_sec);
}

std::string format_hms(std::int64_t seconds) {
  return fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

}  // namespace logstream::text
