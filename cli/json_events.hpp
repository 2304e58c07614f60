// The JSON Lines schema of `logstream run --json` (documented in the README): one function per
// object type. Each object carries "type"; field names are stable, new fields may be added.
#pragma once

#include <chrono>
#include <string>

#include "json/event_json.hpp"
#include "json/json.hpp"
#include "json/progress_json.hpp"

#include <logstream/events.hpp>
#include <logstream/line.hpp>
#include <logstream/metrics.hpp>
#include <logstream/progress.hpp>

#include "summary.hpp"

namespace logstream::cli {

using json::Json;
// Shared with the library's store (lib/json/): one definition of each object.
using json::error_json;
using json::event_json;
using json::progress_fields;

/// {"type":"line","seq","source","text","transient",["continued",]"t","ts"}; t: seconds since
/// `origin`; "continued": true only on a piece of a line longer than the framing limit.
Json line_json(const Line& line, std::chrono::steady_clock::time_point origin);
/// {"type":"progress", ...progress_fields, "t"}.
Json progress_json(const TrainingProgress& progress);
/// {"type":"metric","key","value","seq","t"}; t: seconds from `origin` to `arrival` (the line's).
Json metric_json(const MetricObservation& observation, std::chrono::steady_clock::time_point origin,
                 std::chrono::steady_clock::time_point arrival);
/// {"type":"exit","exit_code","signal","status","lines",...}.
Json exit_json(const RunSummary& summary);

/// One line of JSON Lines: compact, invalid UTF-8 replaced by U+FFFD so the output stays valid.
std::string to_json_line(const Json& object);

}  // namespace logstream::cli
