// Stream events as JSON (see event_json.hpp).
#include "json/event_json.hpp"

namespace logstream::json {

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

}  // namespace logstream::json
