// RunRecorder: the sink that records a Streamer's run in a RunStore: the run's directory, its
// lock, line index, events, metrics, status snapshots, and its row in the index.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/metrics.hpp>
#include <logstream/run_store.hpp>
#include <logstream/sink.hpp>

#include "store/line_index.hpp"
#include "store/run_directory.hpp"

namespace logstream::store {

struct RunStart {
  std::string name;
  std::string group;
  std::vector<std::string> command;
  std::filesystem::path log;  ///< empty: the run directory's output.log
  bool raw_log = false;       ///< the log keeps every byte: no line index (its lines are no log lines)
};

/// How a run that ended is named by its exit: killed (a signal), failed (a non-zero code), exited.
RunState final_state(const RunRecord& run);

/// Thread: the sink hooks run on the sink's actor; started() and start_failed() on the thread
/// that calls Streamer::start(), complete() on the stream's callback strand; a mutex keeps the record whole between them. Errors: the
/// constructor throws StoreError (nothing is recorded); a hook that cannot write throws
/// StoreError, which retires the sink as any sink's error does (the stream goes on).
class RunRecorder final : public Sink {
public:
  /// Claims a new run directory, takes its lock, writes run.json and the index row.
  RunRecorder(std::shared_ptr<RunStore> store, RunStart start, std::shared_ptr<MetricStore> metrics);
  ~RunRecorder() override;

  const std::string& id() const noexcept { return id_; }
  const std::filesystem::path& log_path() const noexcept { return log_; }

  /// The child runs: its pid.
  void started(std::optional<int> pid);
  /// start() failed: the run ends `failed` with the error (no sink hook will come).
  void start_failed(std::string_view error);
  /// Every sink closed (the stream's first on_complete): the final snapshot, the index row, the
  /// lock released. Only then does a reader see the run ended, so the log it reads is whole.
  void complete();

  void open() override;
  void write(const LineBatch& batch) override;
  void flush() override;
  void close() override;
  void on_event(const StreamEvent& event) override;
  std::string name() const override { return "store:" + id_; }

private:
  void write_snapshot(bool final);  // requires mutex_
  void finish(RunState state);      // requires mutex_
  void append_event(const std::string& json_line);
  void write_metrics_out();

  std::shared_ptr<RunStore> store_;
  std::shared_ptr<MetricStore> metrics_;
  std::string id_;
  RunDirectory dir_;
  std::filesystem::path log_;
  std::unique_ptr<RunLock> lock_;
  std::unique_ptr<LineIndexWriter> index_;  // empty for a raw log
  int events_fd_ = -1;
  int metrics_fd_ = -1;
  std::string metrics_pending_;

  std::mutex mutex_;
  RunRecord record_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point last_snapshot_{};
};

}  // namespace logstream::store
