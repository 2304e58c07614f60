// RunEventStream: GET /api/runs/{id}/events, the Server-Sent Events of one run of the store,
// read from its files as the recorder writes them (the log and lines.idx, metrics.csv,
// events.jsonl, status.json): so any number of clients, of any speed, follow a run without
// touching it. A client reads at its own pace: while its backlog is above the high-water mark
// nothing more is read for it, and once it drains, reading resumes where it stopped (a slow
// client catches up from the files; nothing is dropped and the run never waits).
//
// Events: `line` (a JSON array of line objects), `metric`, `progress`, the run's stream events
// by their type (`gap`, `sink_error`, `truncated`), and `exit` last, after which the server
// closes the stream. Every event's `id:` is the seq of the last line sent so far: a client that
// reconnects with Last-Event-ID (or ?from=SEQ+1) gets exactly the lines after it. A comment
// every `heartbeat` keeps proxies and the browser's idle timers from closing a quiet stream.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include <logstream/run_store.hpp>

#include "extract/metrics_export.hpp"
#include "loop/loop_handle.hpp"
#include "store/line_index.hpp"
#include "store/run_directory.hpp"
#include "web/connection.hpp"

namespace logstream::web {

struct EventStreamOptions {
  std::chrono::milliseconds batch_interval{50};  ///< at most ~20 line events a second
  std::chrono::milliseconds heartbeat{15'000};
  /// Files are re-read at least this often: inotify may be unavailable or miss a change.
  std::chrono::milliseconds backstop{1'000};
  std::size_t max_lines_per_event = 2000;
  /// A line event ends after the line that brings its texts past this (long lines: fewer).
  std::size_t max_event_bytes = 256 * 1024;
  std::size_t high_water_bytes = 1024 * 1024;  ///< a client's backlog beyond which reading waits
};

class RunEventStream final : public ResponseStream {
public:
  /// `from_seq`: the first line to send (1: the whole run).
  RunEventStream(const RunRecord& run, std::uint64_t from_seq, EventStreamOptions options);
  ~RunEventStream() override;

  /// The response head of an event stream.
  static std::string head();

  void start(Connection& connection) override;
  void on_drained(Connection& connection) override;
  void stop() override;

private:
  struct HandleState {
    RunEventStream* owner = nullptr;
  };

  void schedule();
  void pump();
  bool send_lines(bool final);
  void read_metrics();
  void send_metrics();
  void read_events();
  void send_progress(const RunRecord& run);
  void finish(const RunRecord& run);
  void send(std::string_view event, std::string_view data);
  void watch(LoopHandle<uv_fs_event_t, HandleState>& handle, const std::filesystem::path& dir);

  store::RunDirectory dir_;
  RunRecord run_;
  EventStreamOptions options_;
  store::LineCursor cursor_;
  Connection* connection_ = nullptr;
  LoopHandle<uv_timer_t, HandleState> pump_timer_;
  LoopHandle<uv_timer_t, HandleState> heartbeat_timer_;
  LoopHandle<uv_fs_event_t, HandleState> dir_watch_;
  LoopHandle<uv_fs_event_t, HandleState> log_watch_;
  std::chrono::steady_clock::time_point last_pump_{};
  std::uint64_t from_seq_;       // the client had the lines before it (and their metrics)
  std::uint64_t last_seq_ = 0;  // of the last line sent: every event's id
  std::uint64_t metrics_offset_ = 0;
  std::string metrics_partial_;
  std::deque<extract::MetricsCsvRow> metrics_pending_;  // rows of lines not sent yet
  std::uint64_t events_offset_ = 0;
  std::string events_partial_;
  std::string last_progress_;
  bool waiting_for_drain_ = false;
  bool pump_scheduled_ = false;
  bool done_ = false;
};

}  // namespace logstream::web
