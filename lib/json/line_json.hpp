// The line object of the --json schema: `run --json`, `logs --json`, the store's readers.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <logstream/line.hpp>

#include "json/json.hpp"

namespace logstream::json {

struct LineFields {
  std::uint64_t seq = 0;
  bool is_stderr = false;
  std::string_view text;
  bool transient = false;
  bool continued = false;
  double seconds = 0;  ///< since the stream's start
  std::chrono::system_clock::time_point wall_time{};
  Level level = Level::none;
};

/// {"type":"line","seq","source","level","text","transient",["continued",]"t","ts"}; "level"
/// is "error", "warning", "info", "debug" or null; "continued": true
/// only on a piece of a line longer than the framing limit (the next object continues it).
Json line_json(const LineFields& line);
/// The same object written straight to text (what the web server streams, a million lines a
/// second): equal to line_json's dump as JSON values; a text of plain printable ASCII is copied
/// as it is, any other goes through the JSON library's escaping (invalid UTF-8 replaced).
void append_line_json(std::string& out, const LineFields& line);

}  // namespace logstream::json
