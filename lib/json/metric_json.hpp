// A metric summary as JSON (`replay --json`, `show --json`, the store's snapshot).
#pragma once

#include <logstream/metrics.hpp>

#include "json/json.hpp"

namespace logstream::json {

/// {"key","latest","min","max","count","first_seq","last_seq"}.
Json metric_summary_json(const MetricSummary& summary);
MetricSummary metric_summary_from(const Json& object);

}  // namespace logstream::json
