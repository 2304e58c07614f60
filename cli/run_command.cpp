// `logstream run` (see run_command.hpp).
#include "run_command.hpp"

#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include <logstream/logstream.hpp>
#include <logstream/web_server.hpp>

#include "child_guard.hpp"
#include "dashboard.hpp"
#include "alert_flags.hpp"
#include "detach.hpp"
#include "exit_status.hpp"
#include "fifo_log_sink.hpp"
#include "filter_flags.hpp"
#include "format.hpp"
#include "log_path.hpp"
#include "messages.hpp"
#include "metrics_export.hpp"
#include "output_factory.hpp"
#include "rules_option.hpp"
#include "signals.hpp"
#include "redis_flags.hpp"
#include "sink_failures.hpp"
#include "store_access.hpp"
#include "terminal.hpp"

namespace logstream::cli {
namespace {

// After a stop signal that gives up, the run still gets this long to end on its own.
constexpr std::chrono::seconds give_up_grace{1};

std::unique_ptr<Output> make_output(const RunOptions& o, LineFilter filter) {
  return make_output(OutputChoice{.mode = o.mode, .show_lines = !o.quiet, .title = base_name(o.command.front()),
                                  .history_lines = o.buffer_lines, .filter = std::move(filter)});
}

std::chrono::milliseconds stop_grace(const RunOptions& o) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(o.stop_timeout_seconds * 1000));
}

StreamerOptions streamer_options(const RunOptions& o, RuleSet rules, AlertOptions alerts, std::shared_ptr<RunStore> store) {
  StreamerOptions options;
  options.alerts = std::move(alerts);
  options.store = std::move(store);
  options.run_name = o.name;
  options.run_group = o.group;
  options.buffer_lines = o.buffer_lines;
  options.log_file.raw = o.raw;
  options.extraction.rules = std::move(rules);
  options.stop_grace = stop_grace(o);
  if (o.max_drain_seconds)
    options.max_drain = std::chrono::milliseconds(static_cast<std::int64_t>(*o.max_drain_seconds * 1000));
  return options;
}

std::vector<std::filesystem::path> metrics_paths(const RunOptions& o) {
  std::vector<std::filesystem::path> paths;
  if (!o.metrics_csv.empty()) paths.emplace_back(o.metrics_csv);
  if (!o.metrics_json.empty()) paths.emplace_back(o.metrics_json);
  return paths;
}

void add_metrics_exports(Streamer& streamer, const RunOptions& o) {
  if (!o.metrics_csv.empty())
    streamer.add_sink(std::make_shared<MetricsExport>(streamer.get_metrics(), MetricsSinkOptions{.csv_path = o.metrics_csv}, o.metrics_csv));
  if (!o.metrics_json.empty())
    streamer.add_sink(std::make_shared<MetricsExport>(streamer.get_metrics(), MetricsSinkOptions{.json_path = o.metrics_json}, o.metrics_json));
}

// Set once the run's last word is written: the signal thread then has nothing to give up.
class RunEnd {
public:
  void mark() {
    {
      std::lock_guard lock(mutex_);
      ended_ = true;
    }
    ended_cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return ended_cv_.wait_for(lock, timeout, [this] { return ended_; });
  }

private:
  std::mutex mutex_;
  std::condition_variable ended_cv_;
  bool ended_ = false;
};

// What the stream, its sinks and the front end say about the finished (or abandoned) run.
void complete_summary(RunSummary& summary, const Streamer& streamer, const SinkFailures& failures, const Output& output,
                      std::chrono::steady_clock::time_point started) {
  summary.duration_seconds = seconds_between(started, std::chrono::steady_clock::now());
  summary.stats = streamer.stats();
  summary.progress = streamer.get_progress();
  summary.exit = streamer.exit_status();
  const std::string log_sink = "file:" + summary.log_file.string();
  if (auto error = failures.of(log_sink)) summary.log_error = *error;
  std::error_code missing;
  if (summary.log_error.empty() && !summary.log_file.empty() && !std::filesystem::exists(summary.log_file, missing))
    summary.log_error = "the log file was removed while the run ran";
  std::vector<std::filesystem::path> written;
  for (const auto& path : summary.metrics_files)
    (failures.of(MetricsExport::sink_name(path)) ? summary.metrics_failed : written).push_back(path);
  summary.metrics_files = std::move(written);
  summary.output_error = output.failure();
  summary.status = summary.exit ? status_of(*summary.exit) : internal_failure_status;
  // Whatever the command did, what logstream was asked to keep is not all there.
  const bool incomplete = !summary.log_error.empty() || !summary.metrics_failed.empty() || !summary.output_error.empty() || summary.gave_up;
  if (incomplete) summary.status = internal_failure_status;
}

int finish(Output& output, RunSummary& summary) {
  output.end(summary);
  if (!summary.start_error.empty()) say(summary.start_error);
  write_all(STDERR_FILENO, format_summary(summary));
  return summary.status;
}

// run --web: the store's dashboard served from the run's own runtime (no thread of its own);
// a bare --web takes a free port when the default one is taken (a `serve`, another run).
std::unique_ptr<WebServer> serve_dashboard(Runtime& runtime, const RunStore& store, const std::string& web, int& status) {
  if (web != web_default_address) return start_dashboard(runtime, store, WebServerOptions{.listen = web}, "--web", status);
  try {
    return std::make_unique<WebServer>(runtime, store, WebServerOptions{.listen = default_dashboard_address});
  } catch (const CodedError&) {
    return start_dashboard(runtime, store, WebServerOptions{.listen = "127.0.0.1:0"}, "--web", status);
  }
}

// The run's page: the dashboard's address with the run's path before any token.
std::string run_page(const WebServer& server, const std::string& id) {
  std::string url = server.url();
  const auto query = url.find('?');
  return url.insert(query == std::string::npos ? url.size() : query, "runs/" + id);
}

}  // namespace

int run_command(const RunOptions& o) {
  // Before detaching: the caller hears of it.
  if (!filter_or_say(o.filter) || !alerts_or_say(o.alerts) || !redis_flags_ok(o.redis)) return usage_status;
  if (o.detach) return detach_run(o, &run_in_foreground);
  return run_in_foreground(o, nullptr);
}

int run_in_foreground(const RunOptions& o, StartReport* report) {
  // Forked first: before any thread, before the store's files.
  std::optional<ChildGuard> guard;
  if (!o.no_store) guard.emplace(stop_grace(o));
  RuleSet rules;
  LineFilter filter;
  AlertOptions alerts;
  PreparedLog log;
  std::shared_ptr<RunStore> store;
  {
    // No child yet and nothing to save: a signal simply ends logstream, even while a rules
    // file or the log's FIFO keeps it waiting.
    const InterruptibleScope interruptible;
    try {
      rules = load_rules(o.rules_file, o.rules);
    } catch (const RuleError& e) {
      say(e.what());
      return usage_status;
    }
    if (auto compiled = filter_or_say(o.filter)) filter = std::move(*compiled);
    else return usage_status;
    if (auto made = alerts_or_say(o.alerts)) alerts = std::move(*made);
    else return usage_status;
    if (!o.no_store) {
      store = open_store();
      if (!store) return internal_failure_status;
    }
    // A recorded run's log defaults to its run directory, which the Streamer creates.
    if (!o.log_file.empty() || !store) {
      const std::filesystem::path log_file =
          o.log_file.empty() ? default_log_path(o.command.front(), std::chrono::system_clock::now()) : std::filesystem::path(o.log_file);
      try {
        log = prepare_log_file(log_file);
      } catch (const std::exception& e) {
        say(e.what());
        return internal_failure_status;
      }
    }
  }

  // CMD reads our stdin, as under `time` or `make`: `logstream run -- cmd < input` and an
  // interactive debugger both work. On a pty, stdin is the pseudo-terminal.
  ProcessSpec spec{.argv = o.command, .inherit_stdin = !o.pty, .pty = o.pty};
  const bool fifo = log.fifo_fd >= 0;
  StreamerOptions options = streamer_options(o, std::move(rules), std::move(alerts), store);
  // With --web, the server and the stream share one runtime, the server on its loop.
  // Declared in this order so that the server goes before the runtime it runs on.
  std::shared_ptr<Runtime> web_runtime;
  std::unique_ptr<WebServer> dashboard;
  if (!o.web.empty()) {
    options.runtime = web_runtime = std::make_shared<Runtime>();
    int status = 0;
    dashboard = serve_dashboard(*web_runtime, *store, o.web, status);
    if (!dashboard) return status;
  }
  std::optional<Streamer> recorded;
  try {
    recorded.emplace(spec, fifo ? std::filesystem::path() : log.path, std::move(options));
  } catch (const StoreError& e) {
    say(e.what());
    return internal_failure_status;
  }
  Streamer& streamer = *recorded;
  // With a store and a FIFO, the store keeps its own copy of the log (the FIFO's is gone once read).
  if (fifo) streamer.add_sink(std::make_shared<FifoLogSink>(log.fifo_fd, log.path, o.raw));
  if (!fifo) log.path = streamer.log_path();
  std::unique_ptr<Output> output = make_output(o, std::move(filter));
  output->attach(streamer);
  add_metrics_exports(streamer, o);
  const std::shared_ptr<RedisSink> redis = add_redis_sink(streamer, store, o.redis);
  SinkFailures failures;
  streamer.on_event += [&failures](const StreamEvent& e) { failures.record(e); };

  RunSummary summary{.log_file = log.path, .metrics_files = metrics_paths(o)};
  say(streamer.run_id().empty() ? fmt::format("running {}; log file {}", o.command.front(), log.path.string())
                                : fmt::format("running {} as run {}; log file {}", o.command.front(), streamer.run_id(), log.path.string()));
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

  if (report) report->started(streamer.run_id());
  if (dashboard) say("dashboard at " + run_page(*dashboard, streamer.run_id()));
  if (guard && streamer.pid()) guard->watch(*streamer.pid());
  output->begin();
  RunEnd run_end;
  // Runs on the signal thread, possibly while this thread is blocked in a write: it only
  // queries the streamer (thread-safe), writes without blocking, and ends the process.
  const auto give_up = [&] {
    if (run_end.wait(give_up_grace) || streamer.is_process_running()) return;
    RunSummary late{.log_file = log.path, .metrics_files = metrics_paths(o), .gave_up = true};
    complete_summary(late, streamer, failures, *output, started);
    output->abandon();
    const std::string text = message_line("gave up waiting for the command's output to be written (is stdout read?)") + format_summary(late);
    write_within(STDERR_FILENO, text, std::chrono::seconds(1));
    std::_Exit(late.status);
  };
  SignalForwarder forwarder(streamer, *output, stop_grace(o), give_up);
  streamer.wait_for_completion();
  if (guard) guard->over();
  dashboard.reset();  // pages watching the run see their stream end with it
  if (redis) finish_redis(*redis);
  complete_summary(summary, streamer, failures, *output, started);
  const int status = finish(*output, summary);
  run_end.mark();
  if (store) apply_default_retention(*store);
  return status;
}

}  // namespace logstream::cli
