// JSON objects of the --json schema (see json_events.hpp and the README).
#include "json_events.hpp"

#include "format.hpp"
#include "json/line_json.hpp"
#include "json/metric_json.hpp"

namespace logstream::cli {

Json line_json(const Line& line, std::chrono::steady_clock::time_point origin) {
  return json::line_json(json::LineFields{.seq = line.seq,
                                          .is_stderr = line.is_stderr(),
                                          .text = line.text,
                                          .transient = line.transient,
                                          .continued = line.continued,
                                          .seconds = seconds_between(origin, line.arrival),
                                          .wall_time = line.wall_time,
                                          .level = line.level});
}

Json progress_json(const TrainingProgress& p) { return json::progress_event_json(p); }

Json metric_json(const MetricObservation& o, std::chrono::steady_clock::time_point origin,
                 std::chrono::steady_clock::time_point arrival) {
  return json::metric_event_json(o.key, o.value, o.seq, seconds_between(origin, arrival));
}

Json exit_json(const RunSummary& s) {
  Json metrics_files = Json::array();
  for (const auto& path : s.metrics_files) metrics_files.push_back(path.string());
  Json metrics_failed = Json::array();
  for (const auto& path : s.metrics_failed) metrics_failed.push_back(path.string());
  return Json{{"type", "exit"},
              {"exit_code", s.exit ? json::optional(s.exit->exit_code) : Json(nullptr)},
              {"signal", s.exit ? json::optional(s.exit->term_signal) : Json(nullptr)},
              {"status", s.status},
              {"lines", s.stats.lines},
              {"stdout_lines", s.stats.stdout_lines},
              {"stderr_lines", s.stats.stderr_lines},
              {"truncated", s.stats.truncated},
              {"duration_s", s.duration_seconds},
              {"log", s.log_file.empty() ? Json(nullptr) : Json(s.log_file.string())},
              {"log_error", s.log_error.empty() ? Json(nullptr) : Json(s.log_error)},
              {"metrics_files", metrics_files},
              {"metrics_failed", metrics_failed}};
}

std::string to_json_line(const Json& object) { return json::dump(object) + '\n'; }

}  // namespace logstream::cli
