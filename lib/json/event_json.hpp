// Stream events as JSON objects of the --json schema (also the store's events.jsonl).
#pragma once

#include <string_view>

#include <logstream/events.hpp>

#include "json/json.hpp"

namespace logstream::json {

/// {"type":"error","kind","message"}.
Json error_json(std::string_view kind, std::string_view message);
/// {"type":"alert","kind","rule","message","seq","ts"[,"context","metric","value","exit_code",
/// "signal"],"suppressed"}: the README's "Alerts".
Json alert_json(const Alert& alert);
/// {"type":"gap","sink","first_seq","count"} for a gap, {"type":"error","kind","message"[,"sink"]}
/// for the errors ({"type":"error","kind":"notify","message","channel"} of a channel that
/// failed), alert_json of an alert; null for the exit (its object carries more than the event: see exit_json).
Json event_json(const StreamEvent& event);

}  // namespace logstream::json
