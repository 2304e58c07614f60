// `logstream replay` (see replay_command.hpp): text by default, one JSON object with --json.
#include "replay_command.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "format.hpp"
#include "json/metric_json.hpp"
#include "json_events.hpp"
#include "messages.hpp"
#include "rules_option.hpp"
#include "summary.hpp"
#include "terminal_safe.hpp"
#include "terminal.hpp"

namespace logstream::cli {
namespace {

constexpr int unreadable_status = 1;
constexpr std::size_t max_text_columns = 2000;

std::string replay_text(const ReplayOptions& o, const ReplayResult& r) {
  const TrainingProgress& p = r.progress;
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  // The file name is the user's, the model name and the metric keys the log's: sanitised.
  fmt::format_to(it, "{}: {} lines\n", terminal_safe_line(o.file, max_text_columns), r.lines);
  fmt::format_to(it, "  {:<11}{}\n", "progress", terminal_safe_line(describe_progress(p), max_text_columns));
  fmt::format_to(it, "  {:<11}{}\n", "best score", p.best_score ? format_score(*p.best_score) : "none");
  const auto metrics = r.metrics ? r.metrics->summaries() : std::vector<MetricSummary>{};
  if (!metrics.empty()) {
    fmt::format_to(it, "  {:<11}{:>12} {:>12} {:>12} {:>8}\n", "metric", "latest", "min", "max", "count");
    for (const MetricSummary& m : metrics)
      fmt::format_to(it, "  {:<11}{:>12} {:>12} {:>12} {:>8}\n", terminal_safe_line(m.key, max_text_columns), format_value(m.latest), format_value(m.min),
                     format_value(m.max), m.count);
  }
  return fmt::to_string(out);
}

Json replay_json(const ReplayOptions& o, const ReplayResult& r) {
  Json metrics = Json::array();
  if (r.metrics) {
    for (const MetricSummary& m : r.metrics->summaries()) {
      metrics.push_back(json::metric_summary_json(m));
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
    say(e.what());
    return 2;
  } catch (const std::exception& e) {
    say(e.what());
    return unreadable_status;
  }
  try {
    if (result.metrics && !o.metrics_csv.empty()) result.metrics->write_csv(o.metrics_csv);
    if (result.metrics && !o.metrics_json.empty()) result.metrics->write_json(o.metrics_json);
  } catch (const std::exception& e) {
    say(e.what());
    return unreadable_status;
  }
  write_all(STDOUT_FILENO, o.json ? to_json_line(replay_json(o, result)) : replay_text(o, result));
  return 0;
}

}  // namespace logstream::cli
