// A metric summary as JSON (see metric_json.hpp).
#include "json/metric_json.hpp"

#include <limits>

namespace logstream::json {

Json metric_summary_json(const MetricSummary& m) {
  return Json{{"key", m.key},         {"latest", number(m.latest)}, {"min", number(m.min)},
              {"max", number(m.max)}, {"count", m.count},           {"first_seq", m.first_seq},
              {"last_seq", m.last_seq}};
}

MetricSummary metric_summary_from(const Json& j) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  MetricSummary m;
  m.key = get_or<std::string>(j, "key", "");
  m.latest = get_or<double>(j, "latest", nan);  // null was a NaN or an infinity
  m.min = get_or<double>(j, "min", nan);
  m.max = get_or<double>(j, "max", nan);
  m.count = get_or<std::uint64_t>(j, "count", 0);
  m.first_seq = get_or<std::uint64_t>(j, "first_seq", 0);
  m.last_seq = get_or<std::uint64_t>(j, "last_seq", 0);
  return m;
}

Json metric_event_json(std::string_view key, double value, std::uint64_t seq, double seconds) {
  return Json{{"type", "metric"}, {"key", key}, {"value", number(value)}, {"seq", seq}, {"t", seconds}};
}

}  // namespace logstream::json
