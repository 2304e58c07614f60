// `logstream show RUN` (see store_commands.hpp): the run's record, metric summaries, events and
// last lines, as text or one JSON object.
#include <unistd.h>

#include <fmt/format.h>

#include "exit_status.hpp"
#include "format.hpp"
#include "io/write_all.hpp"
#include "json/metric_json.hpp"
#include "json/run_json.hpp"
#include "json/stored_run_json.hpp"
#include "json_events.hpp"
#include "messages.hpp"
#include "store_access.hpp"
#include "store_commands.hpp"
#include "summary.hpp"
#include "terminal_safe.hpp"
#include "text/time_format.hpp"

namespace logstream::cli {
namespace {

constexpr std::size_t last_lines = 20;
constexpr std::size_t max_columns = 2000;

std::vector<StoredLine> tail_of(const RunStore& store, const RunRecord& run) {
  try {
    return store.lines(run, last_lines);
  } catch (const StoreError& e) {
    say(e.what());  // the record is still worth showing
    return {};
  }
}

std::string show_text(const RunRecord& r, const std::vector<std::string>& events, const std::vector<StoredLine>& lines) {
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  auto row = [&](std::string_view label, std::string_view value) {
    fmt::format_to(it, "  {:<11}{}\n", label, terminal_safe_line(value, max_columns));
  };
  fmt::format_to(it, "{} {}\n", r.id, terminal_safe_line(r.name, max_columns));
  row("state", describe_state(r));
  row("command", fmt::format("{}", fmt::join(r.command, " ")));
  if (!r.group.empty()) row("group", r.group);
  row("cwd", r.cwd);
  row("host", r.host);
  if (r.pid) row("pid", std::to_string(*r.pid));
  row("started", local_time(r.started_at));
  if (r.ended_at) row("ended", local_time(*r.ended_at));
  row("duration", format_clock(r.duration().count()));
  row("lines", fmt::format("{} (stdout {}, stderr {})", r.lines, r.stdout_lines, r.stderr_lines));
  row("progress", describe_progress(r.progress));
  row("best score", r.best_score() ? format_score(*r.best_score()) : "none");
  row("log", r.log.string());
  if (!r.error.empty()) row("error", r.error);
  if (!r.metrics.empty()) {
    fmt::format_to(it, "  {:<11}{:>12} {:>12} {:>12} {:>8}\n", "metric", "latest", "min", "max", "count");
    for (const MetricSummary& m : r.metrics)
      fmt::format_to(it, "  {:<11}{:>12} {:>12} {:>12} {:>8}\n", terminal_safe_line(m.key, max_columns), format_value(m.latest),
                     format_value(m.min), format_value(m.max), m.count);
  }
  for (const std::string& event : events) {
    // An alert reads as one: when, which rule, what happened; the other events as stored.
    const json::Json object = json::Json::parse(event, nullptr, false);
    if (!object.is_object() || json::get_or<std::string>(object, "type", "") != "alert") {
      row("event", event);
      continue;
    }
    const auto when = text::parse_iso8601_utc(json::get_or<std::string>(object, "ts", ""));
    const auto suppressed = json::get_or<std::uint64_t>(object, "suppressed", 0);
    row("alert", fmt::format("{}{}: {}{}", when ? local_time(*when) + " " : std::string(), json::get_or<std::string>(object, "rule", ""),
                             json::get_or<std::string>(object, "message", ""),
                             suppressed > 0 ? fmt::format(" ({} more suppressed)", suppressed) : std::string()));
  }
  if (!lines.empty()) fmt::format_to(it, "  last {} lines:\n", lines.size());
  for (const StoredLine& line : lines) fmt::format_to(it, "    {}\n", terminal_safe_line(line.text, max_columns));
  return fmt::to_string(out);
}

}  // namespace

int show_command(const ShowOptions& o) {
  auto found = open_and_find(o.run);
  if (const int* status = std::get_if<int>(&found)) return *status;
  const auto& [store, run] = std::get<FoundRun>(found);
  const auto events = store->events(run);
  const auto lines = tail_of(*store, run);
  io::write_all(STDOUT_FILENO, o.json ? to_json_line(json::run_detail_json(run, events, lines)) : show_text(run, events, lines));
  return 0;
}

}  // namespace logstream::cli
