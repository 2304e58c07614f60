// Names of the small enums, for messages and JSON.
#include <logstream/events.hpp>
#include <logstream/line.hpp>

#include <cstddef>

namespace logstream {

std::string_view to_string(Source source) noexcept { return source == Source::err ? "stderr" : "stdout"; }

std::string_view to_string(Level level) noexcept {
  switch (level) {
    case Level::error: return "error";
    case Level::warning: return "warning";
    case Level::info: return "info";
    case Level::debug: return "debug";
    case Level::none: break;
  }
  return "";
}

std::optional<Level> parse_level(std::string_view name) noexcept {
  auto is = [name](std::string_view word) {
    if (name.size() != word.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
      if ((name[i] | 0x20) != word[i]) return false;
    return true;
  };
  if (is("error") || is("err")) return Level::error;
  if (is("warning") || is("warn")) return Level::warning;
  if (is("info")) return Level::info;
  if (is("debug")) return Level::debug;
  if (is("none")) return Level::none;
  return std::nullopt;
}

std::string_view to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::sink_error: return "sink_error";
    case EventKind::callback_error: return "callback_error";
    case EventKind::gap: return "gap";
    case EventKind::truncated: return "truncated";
    case EventKind::exited: return "exited";
    case EventKind::alert: return "alert";
    case EventKind::notify_error: return "notify_error";
  }
  return "unknown";
}

}  // namespace logstream
