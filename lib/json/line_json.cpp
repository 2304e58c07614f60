// The line object (see line_json.hpp).
#include "json/line_json.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "text/time_format.hpp"

namespace logstream::json {

Json line_json(const LineFields& line) {
  Json out{{"type", "line"},
           {"seq", line.seq},
           {"source", line.is_stderr ? "stderr" : "stdout"},
           {"level", line.level == Level::none ? Json(nullptr) : Json(std::string(to_string(line.level)))},
           {"text", std::string(line.text)},
           {"transient", line.transient}};
  if (line.continued) out["continued"] = true;
  out["t"] = line.seconds;
  out["ts"] = text::format_iso8601_utc(line.wall_time);
  return out;
}

namespace {

bool plain_ascii(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

void append_line_json(std::string& out, const LineFields& line) {
  out += R"({"type":"line","seq":)";
  const fmt::format_int seq(line.seq);
  out.append(seq.data(), seq.size());
  out += line.is_stderr ? R"(,"source":"stderr","level":)" : R"(,"source":"stdout","level":)";
  if (line.level == Level::none) {
    out += "null";
  } else {
    out += '"';
    out += to_string(line.level);
    out += '"';
  }
  out += R"(,"text":)";
  if (plain_ascii(line.text)) {
    out += '"';
    out += line.text;
    out += '"';
  } else {
    out += dump(Json(std::string(line.text)));
  }
  out += line.transient ? R"(,"transient":true)" : R"(,"transient":false)";
  if (line.continued) out += R"(,"continued":true)";
  out += R"(,"t":)";
  if (std::isfinite(line.seconds)) {
    char number[32];
    out.append(number, fmt::format_to_n(number, sizeof number, "{}", line.seconds).size);
  } else {
    out += "null";  // as the JSON library writes a NaN
  }
  out += R"(,"ts":")";
  // The lines of one read share their time: formatted once per time, not once per line.
  thread_local std::chrono::system_clock::time_point last_time{};
  thread_local std::string last_text = text::format_iso8601_utc(last_time);
  if (line.wall_time != last_time) {
    last_time = line.wall_time;
    last_text = text::format_iso8601_utc(last_time);
  }
  out += last_text;
  out += "\"}";
}

}  // namespace logstream::json
