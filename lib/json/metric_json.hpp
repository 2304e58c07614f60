// A metric summary as JSON (`replay --json`, `show --json`, the store's snapshot).
#pragma once

#include <logstream/metrics.hpp>

#include <cstdint>
#include <string_view>

#include "json/json.hpp"

namespace logstream::json {

/// {"key","latest","min","max","count","first_seq","last_seq"}.
Json metric_summary_json(const MetricSummary& summary);
MetricSummary metric_summary_from(const Json& object);
/// The metric object of `run --json`: {"type":"metric","key","value","seq","t"}; t: seconds since
/// the run's start.
Json metric_event_json(std::string_view key, double value, std::uint64_t seq, double seconds);

}  // namespace logstream::json
