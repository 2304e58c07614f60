// The run object: `ls --json`, `show --json`, the store's run.json and status.json. One
// definition of its field names (documented in the README).
#pragma once

#include <logstream/run_store.hpp>

#include "json/json.hpp"

namespace logstream::json {

/// {"id","name","group","command","cwd","host","pid","supervisor_pid","state","exit_code","signal",
///  "started_at","ended_at","duration_s","lines","stdout_lines","stderr_lines","log","progress",
///  "best_score","error"} and, with `metrics`, "metrics" (an array of metric summaries).
Json run_json(const RunRecord& run, bool metrics);
/// The record read back; throws nlohmann::json::exception when `object` is no run object
/// (no id, no valid started_at). directory is left empty.
RunRecord run_from(const Json& object);

/// A RunState by name; empty for an unknown one.
std::optional<RunState> run_state_from(std::string_view name);

}  // namespace logstream::json
