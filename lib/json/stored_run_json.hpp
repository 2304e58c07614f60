// The objects of a stored run that the command and the web server both hand out: a line read
// back from the store (the line object of `run --json`) and the whole run of `show --json`.
#pragma once

#include <string>
#include <vector>

#include <logstream/run_store.hpp>
#include <logstream/search.hpp>

#include "json/json.hpp"

namespace logstream::json {

/// The line object of `run --json` for a line of the store; "t" counts from the run's start.
Json stored_line_json(const RunRecord& run, const StoredLine& line);
/// A line object of `run` read back (a remote run's, from Redis): the inverse of
/// stored_line_json, its time rebuilt from "t" (to the nanosecond, where "ts" has milliseconds).
/// Throws nlohmann::json::exception when it is none.
StoredLine stored_line_from(const RunRecord& run, const Json& object);
/// The same, written straight to text (append_line_json).
void append_stored_line_json(std::string& out, const RunRecord& run, const StoredLine& line);

/// A line a search handed out: {"type":"match"|"context","run","name", the line object's
/// fields,"match"} (`search --json`, GET /api/search).
Json search_hit_json(const SearchHit& hit);

/// The end of a stored run: {"type":"exit","state","exit_code","signal","lines","stdout_lines",
/// "stderr_lines","duration_s","error"}.
Json stored_exit_json(const RunRecord& run);

/// `show --json`: the run object with its metric summaries, "events" (the run's events, as
/// objects) and "last_lines" (line objects).
Json run_detail_json(const RunRecord& run, const std::vector<std::string>& events, const std::vector<StoredLine>& last_lines);

}  // namespace logstream::json
