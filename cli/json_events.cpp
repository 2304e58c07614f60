// JSON objects of the --json schema (see json_events.hpp and the README).
#include "json_events.hpp"

#include <cmath>

#include "format.hpp"
#include "text/time_format.hpp"

namespace logstream::cli {
namespace {

template <typename T>
Json optional_json(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// JSON has no NaN or infinities.
Json number_json(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json optional_number(const std::optional<double>& value) { return value ? number_json(*value) : Json(nullptr); }

Json bar_json(const BarProgress& bar) {
  return Json{{"description", bar.description},
              {"current", number_json(bar.current)},
              {"total", optional_number(bar.total)},
              {"fraction", number_json(bar.fraction())},
              {"rate", optional_number(bar.rate)},
              {"rate_unit", bar.rate_unit},
              {"elapsed_s", optional_number(bar.elapsed_seconds)},
              {"remaining_s", optional_number(bar.remaining_seconds)}};
}

}  // namespace

Json line_json(const Line& line, std::chrono::steady_clock::time_point origin) {
  Json out{{"type", "line"},
           {"seq", line.seq},
           {"source", line.is_stderr() ? "stderr" : "stdout"},
           {"text", std::string(line.text)},
           {"transient", line.transient}};
  // Only on pieces of an over-long line: the next line object continues this one's text.
  if (line.continued) out["continued"] = true;
  out["t"] = seconds_between(origin, line.arrival);
  out["ts"] = text::format_iso8601_utc(line.wall_time);
  return out;
}

Json progress_fields(const TrainingProgress& p) {
  return Json{{"position", optional_json(p.position)},
              {"total_positions", optional_json(p.total_positions)},
              {"model", optional_json(p.model_name)},
              {"trial", optional_json(p.trial)},
              {"total_trials", optional_json(p.total_trials)},
              {"score", optional_number(p.score)},
              {"best_score", optional_number(p.best_score)},
              {"is_best", p.is_best},
              {"bar", p.bar ? bar_json(*p.bar) : Json(nullptr)}};
}

Json progress_json(const TrainingProgress& p) {
  Json out{{"type", "progress"}};
  out.update(progress_fields(p));
  out["t"] = p.last_update ? seconds_between(p.start_time, *p.last_update) : 0.0;
  return out;
}

Json metric_json(const MetricObservation& o, std::chrono::steady_clock::time_point origin,
                 std::chrono::steady_clock::time_point arrival) {
  return Json{{"type", "metric"},
              {"key", o.key},
              {"value", number_json(o.value)},
              {"seq", o.seq},
              {"t", seconds_between(origin, arrival)}};
}

Json error_json(std::string_view kind, std::string_view message) {
  return Json{{"type", "error"}, {"kind", kind}, {"message", message}};
}

Json event_json(const StreamEvent& e) {
  switch (e.kind) {
    case EventKind::gap:
      return Json{{"type", "gap"}, {"sink", e.sink}, {"first_seq", e.first_seq}, {"count", e.count}};
    case EventKind::sink_error:
    case EventKind::callback_error:
    case EventKind::truncated: {
      Json out = error_json(to_string(e.kind), e.message);
      if (!e.sink.empty()) out["sink"] = e.sink;
      return out;
    }
    case EventKind::exited:
      break;
  }
  return nullptr;
}

Json exit_json(const RunSummary& s) {
  Json metrics_files = Json::array();
  for (const auto& path : s.metrics_files) metrics_files.push_back(path.string());
  Json metrics_failed = Json::array();
  for (const auto& path : s.metrics_failed) metrics_failed.push_back(path.string());
  return Json{{"type", "exit"},
              {"exit_code", s.exit ? optional_json(s.exit->exit_code) : Json(nullptr)},
              {"signal", s.exit ? optional_json(s.exit->term_signal) : Json(nullptr)},
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

std::string to_json_line(const Json& object) {
  std::string out = object.dump(-1, ' ', false, Json::error_handler_t::replace);
  out += '\n';
  return out;
}

}  // namespace logstream::cli
