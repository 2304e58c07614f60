#include "json/stored_run_json.hpp"

#include "json/line_json.hpp"
#include "json/run_json.hpp"
#include "text/time_format.hpp"

namespace logstream::json {

namespace {

LineFields stored_line_fields(const RunRecord& run, const StoredLine& line) {
  return LineFields{.seq = line.seq,
                    .is_stderr = line.is_stderr,
                    .text = line.text,
                    .continued = line.continued,
                    .seconds = std::chrono::duration<double>(line.wall_time - run.started_at).count(),
                    .wall_time = line.wall_time,
                    .level = line.level};
}

}  // namespace

Json stored_line_json(const RunRecord& run, const StoredLine& line) { return line_json(stored_line_fields(run, line)); }

void append_stored_line_json(std::string& out, const RunRecord& run, const StoredLine& line) {
  append_line_json(out, stored_line_fields(run, line));
}

StoredLine stored_line_from(const RunRecord& run, const Json& object) {
  StoredLine line{.seq = object.at("seq").get<std::uint64_t>(),
                  .is_stderr = object.at("source").get<std::string>() == "stderr",
                  .continued = get_or(object, "continued", false),
                  .text = object.at("text").get<std::string>()};
  if (auto t = get_optional<double>(object, "t")) {
    const auto since_start = std::chrono::round<std::chrono::nanoseconds>(std::chrono::duration<double>(*t));
    line.wall_time = run.started_at + std::chrono::duration_cast<std::chrono::system_clock::duration>(since_start);
  } else if (auto ts = get_optional<std::string>(object, "ts")) {
    line.wall_time = text::parse_iso8601_utc(*ts).value_or(line.wall_time);
  }
  if (auto level = get_optional<std::string>(object, "level")) line.level = parse_level(*level).value_or(Level::none);
  return line;
}

Json search_hit_json(const SearchHit& hit) {
  Json object{{"type", hit.match ? "match" : "context"}, {"run", hit.run.id}, {"name", hit.run.name}};
  const Json line = stored_line_json(hit.run, hit.line);
  for (const auto& [key, value] : line.items())
    if (key != "type") object[key] = value;
  object["match"] = hit.match;
  return object;
}

Json stored_exit_json(const RunRecord& run) {
  return Json{{"type", "exit"},
              {"state", to_string(run.state)},
              {"exit_code", optional(run.exit_code)},
              {"signal", optional(run.signal)},
              {"lines", run.lines},
              {"stdout_lines", run.stdout_lines},
              {"stderr_lines", run.stderr_lines},
              {"duration_s", run.duration().count()},
              {"error", run.error.empty() ? Json(nullptr) : Json(run.error)}};
}

Json run_detail_json(const RunRecord& run, const std::vector<std::string>& events, const std::vector<StoredLine>& last_lines) {
  Json out = run_json(run, true);
  Json event_list = Json::array();
  for (const std::string& event : events) {
    Json object = Json::parse(event, nullptr, false);
    if (!object.is_discarded()) event_list.push_back(std::move(object));
  }
  out["events"] = std::move(event_list);
  Json line_list = Json::array();
  for (const StoredLine& line : last_lines) line_list.push_back(stored_line_json(run, line));
  out["last_lines"] = std::move(line_list);
  return out;
}

}  // namespace logstream::json
