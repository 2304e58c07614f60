// The line object (see line_json.hpp).
#include "json/line_json.hpp"

#include <string>

#include "text/time_format.hpp"

namespace logstream::json {

Json line_json(const LineFields& line) {
  Json out{{"type", "line"},
           {"seq", line.seq},
           {"source", line.is_stderr ? "stderr" : "stdout"},
           {"text", std::string(line.text)},
           {"transient", line.transient}};
  if (line.continued) out["continued"] = true;
  out["t"] = line.seconds;
  out["ts"] = text::format_iso8601_utc(line.wall_time);
  return out;
}

}  // namespace logstream::json
