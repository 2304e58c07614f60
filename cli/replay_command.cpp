// `logstream replay` (see replay_command.hpp): text by default, one JSON object with --json.
#include "replay_command.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "format.hpp"
#include "json_events.hpp"
#include "rules_option.hpp"
#include "summary.hpp"
#include "terminal.hpp"

namespace logstream::cli {
namespace {

constexpr int unreadable_status = 1;

std::string replay_text(const ReplayOptions& o, const ReplayResult& r) {
  const TrainingProgress& p = r.progress;
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{}: {} lines\n", o.file, r.lines);
  fmt::format_to(it, "  {:<11}{}\n", "progress", describe_progress(p));
  fmt::format_to(it, "  {:<11}{}\n", "best score", p.best_score ? format_score(*p.best_score) : "none");
  const auto metrics = r.metrics ? r.metrics->summaries() : std::vector<MetricSummary>{};
  if (!metrics.empty()) {
    fmt::format_to(it, "  {:<11}{:>12} {:>12} {:>12} {:>8}\n", "metric", "latest", "min", "max", "count");
    for (const MetricSummary& m : metrics)
      fmt::format_to(it, "  {:<11}{:>12} {:>12} {:>12} {:>8}\n", m.key, format_value(m.latest), format_value(m.min),
                     format_value(m.max), m.count);
  }
  return fmt::to_string(out);
}

Json replay_json(const ReplayOptions& o, const ReplayResult& r) {
  Json metrics = Json::array();
  if (r.metrics) {
    for (const MetricSummary& m : r.metrics->summaries()) {
      metrics.push_back(Json{{"key", m.key}, {"latest", m.latest}, {"min", m.min}, {"max", m.max},
                             {"count", m.count}, {"first_seq", m.first_seq}, {"last_seq", m.last_seq}});
    }
  }
  return Json{{"type", "replay"}, {"file", o.file}, {"lines", r.lines}, {"progress", progress_fields(r.progress)},
              {"metrics", metrics}};
}

}  // namespace

int replay_command(const ReplayOptions& o) {
  ReplayResult result;
  try {
    result = replay(o.file, load_rules(o.rules_file, o.rules));
  } catch (const RuleError& e) {
    write_all(STDERR_FILENO, fmt::format("logstream: {}\n", e.what()));
    return 2;
  } catch (const std::exception& e) {
    write_all(STDERR_FILENO, fmt::format("logstream: {}\n", e.what()));
    return unreadable_status;
  }
  try {
    if (result.metrics && !o.metrics_csv.empty()) result.metrics->write_csv(o.metrics_csv);
    if (result.metrics && !o.metrics_json.empty()) result.metrics->write_json(o.metrics_json);
  } catch (const std::exception& e) {
    write_all(STDERR_FILENO, fmt::format("logstream: {}\n", e.what()));
    return unreadable_status;
  }
  write_all(STDOUT_FILENO, o.json ? to_json_line(replay_json(o, result)) : replay_text(o, result));
  return 0;
}

}  // namespace logstream::cli
