// `logstream run` (see run_command.hpp).
#include "run_command.hpp"

#include <unistd.h>

#include <memory>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "display.hpp"
#include "exit_status.hpp"
#include "format.hpp"
#include "json_output.hpp"
#include "log_path.hpp"
#include "plain_display.hpp"
#include "rules_option.hpp"
#include "signals.hpp"
#include "terminal.hpp"

namespace logstream::cli {
namespace {

constexpr std::chrono::seconds plain_status_interval{5};

void say(std::string_view text) { write_all(STDERR_FILENO, fmt::format("logstream: {}\n", text)); }

std::string base_name(const std::string& command) {
  const auto slash = command.rfind('/');
  return slash == std::string::npos ? command : command.substr(slash + 1);
}

std::unique_ptr<Output> make_output(const RunOptions& o) {
  if (o.mode == OutputMode::json) return std::make_unique<JsonOutput>(!o.quiet);
  if (o.mode == OutputMode::plain || !is_terminal(STDOUT_FILENO) || is_dumb_terminal())
    return std::make_unique<PlainDisplay>(!o.quiet, plain_status_interval);
  return std::make_unique<TtyDisplay>(TtyDisplayOptions{.show_lines = !o.quiet,
                                                        .color = color_wanted(STDOUT_FILENO),
                                                        .title = base_name(o.command.front()),
                                                        .history_lines = o.buffer_lines});
}

std::chrono::milliseconds stop_grace(const RunOptions& o) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(o.stop_timeout_seconds * 1000));
}

StreamerOptions streamer_options(const RunOptions& o, RuleSet rules) {
  StreamerOptions options;
  options.buffer_lines = o.buffer_lines;
  options.log_file.raw = o.raw;
  options.extraction.rules = std::move(rules);
  options.stop_grace = stop_grace(o);
  return options;
}

std::vector<std::filesystem::path> metrics_paths(const RunOptions& o) {
  std::vector<std::filesystem::path> paths;
  if (!o.metrics_csv.empty()) paths.emplace_back(o.metrics_csv);
  if (!o.metrics_json.empty()) paths.emplace_back(o.metrics_json);
  return paths;
}

int finish(Output& output, RunSummary& summary) {
  output.end(summary);
  if (!summary.start_error.empty()) say(summary.start_error);
  write_all(STDERR_FILENO, format_summary(summary));
  return summary.status;
}

}  // namespace

int run_command(const RunOptions& o) {
  RuleSet rules;
  try {
    rules = load_rules(o.rules_file, o.rules);
  } catch (const RuleError& e) {
    say(e.what());
    return usage_status;
  }
  const std::filesystem::path log_file =
      o.log_file.empty() ? default_log_path(o.command.front(), std::chrono::system_clock::now()) : std::filesystem::path(o.log_file);
  try {
    prepare_log_file(log_file);
  } catch (const std::system_error& e) {
    say(e.what());
    return internal_failure_status;
  }

  // CMD reads our stdin, as under `time` or `make`: `logstream run -- cmd < input` and an
  // interactive debugger both work. On a pty, stdin is the pseudo-terminal.
  ProcessSpec spec{.argv = o.command, .inherit_stdin = !o.pty, .pty = o.pty};
  Streamer streamer{spec, log_file, streamer_options(o, std::move(rules))};
  std::unique_ptr<Output> output = make_output(o);
  output->attach(streamer);
  if (!o.metrics_csv.empty() || !o.metrics_json.empty())
    streamer.add_sink(std::make_shared<MetricsSink>(
        streamer.get_metrics(), MetricsSinkOptions{.csv_path = o.metrics_csv, .json_path = o.metrics_json}));

  RunSummary summary{.log_file = log_file, .metrics_files = metrics_paths(o)};
  say(fmt::format("running {}; log file {}", o.command.front(), log_file.string()));
  const auto started = std::chrono::steady_clock::now();
  try {
    streamer.start();
  } catch (const StartError& e) {
    summary.start_error = e.what();
    summary.status = status_of_start_error(e.code());
    summary.metrics_files.clear();
    return finish(*output, summary);
  } catch (const RuleError& e) {
    say(e.what());
    return usage_status;
  }

  output->begin();
  {
    SignalForwarder forwarder(streamer, *output, stop_grace(o));
    streamer.wait_for_completion();
  }
  summary.duration_seconds = seconds_between(started, std::chrono::steady_clock::now());
  summary.stats = streamer.stats();
  summary.progress = streamer.get_progress();
  summary.exit = streamer.exit_status();
  summary.status = summary.exit ? status_of(*summary.exit) : internal_failure_status;
  return finish(*output, summary);
}

}  // namespace logstream::cli
