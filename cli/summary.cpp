// The end-of-run summary text (see summary.hpp).
#include "summary.hpp"

#include <string.h>

#include <fmt/format.h>

#include "format.hpp"
#include "terminal_safe.hpp"

namespace logstream::cli {
namespace {

constexpr std::size_t max_value_columns = 2000;

std::string join_paths(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::string> names;
  for (const auto& path : paths) names.push_back(path.string());
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string describe_log(const RunSummary& s) {
  if (s.log_file.empty()) return "none";
  if (!s.log_error.empty())
    return fmt::format("{} INCOMPLETE: {}", s.log_file.string(), s.log_error);
  if (s.gave_up) return fmt::format("{} (may lack the last output: logstream gave up waiting)", s.log_file.string());
  return s.log_file.string();
}

std::string pair_text(const std::optional<std::int64_t>& a, const std::optional<std::int64_t>& b) {
  return fmt::format("{}/{}", a ? std::to_string(*a) : "-", b ? std::to_string(*b) : "-");
}

}  // namespace

std::string signal_name(int signo) {
  const char* abbrev = ::sigabbrev_np(signo);
  return abbrev != nullptr ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", signo);
}

std::string describe_progress(const TrainingProgress& p) {
  std::vector<std::string> parts;
  if (p.position || p.total_positions) parts.push_back("position " + pair_text(p.position, p.total_positions));
  if (p.trial || p.total_trials) parts.push_back("trial " + pair_text(p.trial, p.total_trials));
  if (p.model_name) parts.push_back("model " + *p.model_name);
  if (p.score) parts.push_back("score " + format_score(*p.score));
  if (p.bar) {
    parts.push_back(p.bar->total ? fmt::format("bar {:g}/{:g}", p.bar->current, *p.bar->total)
                                 : fmt::format("bar {:g}", p.bar->current));
  }
  return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", "));
}

std::string describe_exit(const std::optional<ExitStatus>& exit) {
  if (!exit) return "did not start";
  if (exit->term_signal) return fmt::format("killed by signal {} ({})", *exit->term_signal, signal_name(*exit->term_signal));
  return fmt::format("exit code {}", exit->exit_code.value_or(0));
}

std::string format_summary(const RunSummary& s) {
  fmt::memory_buffer out;
  // The values carry the child's text (the model name) and the user's (paths): sanitised.
  auto row = [&out](std::string_view label, std::string_view value) {
    fmt::format_to(std::back_inserter(out), "  {:<11}{}\n", label, terminal_safe_line(value, max_value_columns));
  };
  fmt::format_to(std::back_inserter(out), "logstream: summary\n");
  row("duration", fmt::format("{} ({:.1f} s)", format_clock(s.duration_seconds), s.duration_seconds));
  row("lines", fmt::format("{} (stdout {}, stderr {}){}", s.stats.lines, s.stats.stdout_lines, s.stats.stderr_lines,
                           s.stats.truncated ? ", output truncated" : ""));
  row("progress", describe_progress(s.progress));
  row("best score", s.progress.best_score ? format_score(*s.progress.best_score) : "none");
  row("exit", fmt::format("{}, status {}", s.start_error.empty() ? describe_exit(s.exit) : s.start_error, s.status));
  row("log", describe_log(s));
  if (s.stats.alerts > 0 || s.stats.suppressed_alerts > 0)
    row("alerts", s.stats.suppressed_alerts > 0 ? fmt::format("{} ({} more suppressed)", s.stats.alerts, s.stats.suppressed_alerts)
                                                : fmt::format("{}", s.stats.alerts));
  if (!s.metrics_files.empty() || !s.metrics_failed.empty()) {
    std::string text = s.metrics_files.empty() ? "none" : join_paths(s.metrics_files);
    if (!s.metrics_failed.empty()) text += fmt::format(" (FAILED: {})", join_paths(s.metrics_failed));
    row("metrics", text);
  }
  if (!s.output_error.empty()) row("output", "INCOMPLETE: " + s.output_error);
  return fmt::to_string(out);
}

}  // namespace logstream::cli
