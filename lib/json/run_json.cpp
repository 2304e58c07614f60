// The run object (see run_json.hpp).
#include "json/run_json.hpp"

#include "json/metric_json.hpp"
#include "json/progress_json.hpp"
#include "text/time_format.hpp"

namespace logstream::json {
namespace {

Json time_json(const std::optional<std::chrono::system_clock::time_point>& time) {
  return time ? Json(text::format_iso8601_utc(*time)) : Json(nullptr);
}

std::optional<std::chrono::system_clock::time_point> time_from(const Json& j, const char* key) {
  const auto text = get_optional<std::string>(j, key);
  return text ? text::parse_iso8601_utc(*text) : std::nullopt;
}

}  // namespace

std::optional<RunState> run_state_from(std::string_view name) {
  for (RunState s : {RunState::running, RunState::exited, RunState::failed, RunState::killed, RunState::lost})
    if (to_string(s) == name) return s;
  return std::nullopt;
}

Json run_json(const RunRecord& r, bool metrics) {
  Json out{{"id", r.id},
           {"name", r.name},
           {"group", r.group.empty() ? Json(nullptr) : Json(r.group)},
           {"command", r.command},
           {"cwd", r.cwd},
           {"host", r.host},
           {"pid", optional(r.pid)},
           {"supervisor_pid", optional(r.supervisor_pid)},
           {"state", to_string(r.state)},
           {"exit_code", optional(r.exit_code)},
           {"signal", optional(r.signal)},
           {"started_at", text::format_iso8601_utc(r.started_at)},
           {"ended_at", time_json(r.ended_at)},
           {"duration_s", number(r.duration().count())},
           {"lines", r.lines},
           {"stdout_lines", r.stdout_lines},
           {"stderr_lines", r.stderr_lines},
           {"log", r.log.string()},
           {"progress", progress_fields(r.progress)},
           {"best_score", optional_number(r.best_score())},
           {"error", r.error.empty() ? Json(nullptr) : Json(r.error)}};
  if (metrics) {
    Json list = Json::array();
    for (const MetricSummary& m : r.metrics) list.push_back(metric_summary_json(m));
    out["metrics"] = std::move(list);
  }
  return out;
}

RunRecord run_from(const Json& j) {
  RunRecord r;
  r.id = j.at("id").get<std::string>();
  const auto started = time_from(j, "started_at");
  if (r.id.empty() || !started) throw nlohmann::json::other_error::create(501, "not a run object", &j);
  r.started_at = *started;
  r.name = get_or<std::string>(j, "name", "");
  r.group = get_or<std::string>(j, "group", "");
  r.command = get_or<std::vector<std::string>>(j, "command", {});
  r.cwd = get_or<std::string>(j, "cwd", "");
  r.host = get_or<std::string>(j, "host", "");
  r.pid = get_optional<int>(j, "pid");
  r.supervisor_pid = get_optional<int>(j, "supervisor_pid");
  r.state = run_state_from(get_or<std::string>(j, "state", "")).value_or(RunState::lost);
  r.exit_code = get_optional<int>(j, "exit_code");
  r.signal = get_optional<int>(j, "signal");
  r.ended_at = time_from(j, "ended_at");
  r.lines = get_or<std::uint64_t>(j, "lines", 0);
  r.stdout_lines = get_or<std::uint64_t>(j, "stdout_lines", 0);
  r.stderr_lines = get_or<std::uint64_t>(j, "stderr_lines", 0);
  r.log = get_or<std::string>(j, "log", "");
  if (const auto it = j.find("progress"); it != j.end()) r.progress = progress_from(*it);
  r.error = get_or<std::string>(j, "error", "");
  if (const auto it = j.find("metrics"); it != j.end() && it->is_array())
    for (const Json& m : *it) r.metrics.push_back(metric_summary_from(m));
  // Steady-clock times mean nothing in another process: rebuilt from the wall-clock ones.
  const auto now_steady = std::chrono::steady_clock::now();
  const auto age = std::chrono::system_clock::now() - r.started_at;
  r.progress.start_time = now_steady - std::chrono::duration_cast<std::chrono::steady_clock::duration>(age);
  if (r.ended_at)
    r.progress.end_time = r.progress.start_time +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(*r.ended_at - r.started_at);
  return r;
}

}  // namespace logstream::json
