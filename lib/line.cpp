// Names of the small enums, for messages and JSON.
#include <logstream/events.hpp>
#include <logstream/line.hpp>

namespace logstream {

std::string_view to_string(Source source) noexcept { return source == Source::err ? "stderr" : "stdout"; }

std::string_view to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::sink_error: return "sink_error";
    case EventKind::callback_error: return "callback_error";
    case EventKind::gap: return "gap";
    case EventKind::truncated: return "truncated";
    case EventKind::exited: return "exited";
  }
  return "unknown";
}

}  // namespace logstream
