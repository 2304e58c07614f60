// Stream events as JSON (see event_json.hpp).
#include "json/event_json.hpp"

#include "text/time_format.hpp"

namespace logstream::json {

Json error_json(std::string_view kind, std::string_view message) {
  return Json{{"type", "error"}, {"kind", kind}, {"message", message}};
}

Json alert_json(const Alert& a) {
  Json out{{"type", "alert"}, {"kind", to_string(a.kind)}, {"rule", a.rule}, {"message", a.message},
           {"seq", a.seq != 0 ? Json(a.seq) : Json(nullptr)}, {"ts", text::format_iso8601_utc(a.time)}};
  if (!a.context.empty()) out["context"] = a.context;
  if (!a.metric.empty()) out["metric"] = a.metric;
  if (a.value) out["value"] = number(*a.value);
  if (a.kind == AlertKind::exit) {
    out["exit_code"] = optional(a.exit_code);
    out["signal"] = optional(a.term_signal);
  }
  out["suppressed"] = a.suppressed;
  return out;
}

Json event_json(const StreamEvent& e) {
  switch (e.kind) {
    case EventKind::alert:
      return e.alert ? alert_json(*e.alert) : Json(nullptr);
    case EventKind::notify_error: {
      Json out = error_json("notify", e.message);
      if (!e.sink.empty()) out["channel"] = e.sink;
      return out;
    }
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

}  // namespace logstream::json
