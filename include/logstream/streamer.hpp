// Streamer: the seed's RealTimeLogStreamer in C++ — run a command, stream its lines, watch it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <logstream/alerts.hpp>
#include <logstream/events.hpp>
#include <logstream/export.hpp>
#include <logstream/extractor.hpp>
#include <logstream/framing.hpp>
#include <logstream/line.hpp>
#include <logstream/metrics.hpp>
#include <logstream/output_queue.hpp>
#include <logstream/process.hpp>
#include <logstream/progress.hpp>
#include <logstream/run_store.hpp>
#include <logstream/runtime.hpp>
#include <logstream/sink.hpp>
#include <logstream/sinks/file_sink.hpp>
#include <logstream/subscribers.hpp>

namespace logstream {

struct LOGSTREAM_API StreamerOptions {
  /// Lines kept for get_logs (the seed's circular buffer); 0 counts as 1.
  std::size_t buffer_lines = 500;
  std::size_t buffer_max_bytes = 8 << 20;
  FramingOptions framing{};
  FileSinkOptions log_file{};
  ExtractorOptions extraction{};
  /// Bytes read from the pipes whose lines have not yet passed every lossless sink. At the
  /// bound the pipes are no longer read, so the child blocks in write(): memory stays bounded
  /// (by this plus the per-line index, at most 16 bytes a line) and nothing is dropped.
  /// At least 128 KiB (two 64 KiB reads): start() throws UsageError below that.
  std::size_t max_inflight_bytes = 4 << 20;
  /// Bytes a drop_oldest sink may have queued before its oldest batches are dropped (the newest
  /// batch is always kept). They are not counted in max_inflight_bytes: a lossy sink never
  /// holds back reading.
  std::size_t drop_queue_bytes = 1 << 20;
  /// stop(): SIGTERM to the child's group, then SIGKILL after this long to whatever of the group
  /// still runs (also when its output has already ended); the stream completes after that.
  std::chrono::milliseconds stop_grace{5000};
  /// After the child exits, its pipes may stay open (a grandchild holds them): streaming ends
  /// once they were silent this long, and the stream is marked truncated. While they are not
  /// silent, they are followed (nothing is lost), unless max_drain says otherwise. Once the
  /// input ended, a drop_oldest sink that stays inside one hook this long is abandoned (a
  /// sink_error event; its queued lines count as failed): completion and stop() do not wait for
  /// it longer.
  std::chrono::milliseconds drain_timeout{500};
  /// At most this long after the child's exit, reading stops even while a background process
  /// still writes: the stream is marked truncated and a `truncated` event names max_drain. By
  /// default there is no maximum: a writer that never pauses keeps the stream going.
  std::optional<std::chrono::milliseconds> max_drain;
  /// Lines, and bytes of text, the output_queue keeps for consumers before dropping the oldest.
  std::size_t output_queue_lines = 10000;
  std::size_t output_queue_bytes = 16 << 20;
  /// Shared runtime; a private one is created when empty.
  std::shared_ptr<Runtime> runtime;
  /// Records the run in this store (run_store.hpp): the Streamer's constructor claims the run
  /// (its directory and index row; it throws StoreError when it cannot), the log file defaults
  /// to the run directory's output.log, and the run's lines, events, metrics and status
  /// snapshots are kept there by a lossless sink. A run never started ends `failed`.
  std::shared_ptr<RunStore> store;
  std::string run_name;   ///< the run's name in the store; default: the command's base name
  std::string run_group;  ///< the run's group in the store; default: none
  /// Rules whose alerts are `alert` events (in order with the lines, to every sink and
  /// on_event), and the channels that deliver them (alerts.hpp). An invalid rule never gets
  /// here: AlertRule::parse throws.
  AlertOptions alerts{};
};

/// Per-sink delivery counters.
struct LOGSTREAM_API SinkStats {
  std::string name;
  std::uint64_t lines = 0;          ///< lines handed to the sink
  std::uint64_t dropped_lines = 0;  ///< drop_oldest: lines skipped
  std::uint64_t failed_lines = 0;   ///< lines not written because the sink failed
  std::uint64_t errors = 0;
};

struct LOGSTREAM_API StreamStats {
  std::uint64_t lines = 0;
  std::uint64_t stdout_lines = 0;
  std::uint64_t stderr_lines = 0;
  std::uint64_t bytes = 0;
  std::size_t inflight_bytes = 0;
  std::size_t peak_inflight_bytes = 0;
  std::uint64_t read_pauses = 0;  ///< times backpressure paused the pipes
  std::uint64_t alerts = 0;             ///< alert events sent
  std::uint64_t suppressed_alerts = 0;  ///< alerts held back by the cooldown or the hourly cap
  bool truncated = false;
  std::vector<SinkStats> sinks;
};

class Stream;

/// Runs one child (or reads one fd) and streams its output: framing, progress extraction, the
/// bounded buffer, the log file and any added sinks.
///
/// Callbacks (`on_new_line`, `on_progress_update`, `on_event`, `on_complete`; each may have
/// several subscribers, see Subscribers) run on a runtime worker thread, never on the I/O
/// thread, never under a library lock, never two of one subscriber at once; with
/// `worker_threads = 0` (the default of a host-loop runtime) they run on the loop's thread.
/// Each on_new_line and on_progress_update subscriber is a lossless sink of its own: it gets
/// every line (every progress change, then the end with end_time set) in order, and a slow one
/// holds back reading as a slow sink does. Events come in the order they happened (the exit as
/// soon as the child exited: a sink's on_event gets it after the last line instead);
/// on_complete comes after every event and every line, and before wait_for_completion()
/// returns. Callbacks may call the queries and stop(); stop() then only requests the stop, and
/// wait_for_completion() from a callback returns false at once instead of waiting on itself.
/// Subscribe and add sinks before start(): after it both throw UsageError.
/// Queries are thread-safe at any time, also while start() or stop() runs on another thread.
///
/// A Streamer may be destroyed on any thread, also from its own callbacks: off the runtime's
/// threads the destructor stops the stream and waits (as stop()); on them (a callback, a host
/// loop) it requests the stop and detaches: the stream stops its child and finishes on its own
/// (on_complete still runs), and the runtime waits for it before it goes.
class LOGSTREAM_API Streamer {
public:
  using Input = std::variant<ProcessSpec, FdSource>;

  /// Throws StoreError when options.store cannot record the run.
  explicit Streamer(ProcessSpec spec, std::filesystem::path log_file = {}, StreamerOptions options = {});
  explicit Streamer(FdSource fd, std::filesystem::path log_file = {}, StreamerOptions options = {});
  /// Stops the stream (as stop()) if it still runs; see above for runtime threads.
  ~Streamer();
  Streamer(const Streamer&) = delete;
  Streamer& operator=(const Streamer&) = delete;

private:
  std::atomic<bool> started_{false};  // first: the subscribers refer to it

public:
  Subscribers<void(const Line&)> on_new_line{started_, "on_new_line"};
  Subscribers<void(const TrainingProgress&)> on_progress_update{started_, "on_progress_update"};
  Subscribers<void(const StreamEvent&)> on_event{started_, "on_event"};
  Subscribers<void()> on_complete{started_, "on_complete"};

  /// Adds a sink; before start(), else UsageError.
  void add_sink(std::shared_ptr<Sink> sink);

  /// Spawns the child (or starts reading the fd). Throws StartError naming the command and the
  /// OS error (not found, a script's interpreter not found, not executable, bad cwd, out of
  /// fds, an fd that cannot be read) or a sink that threw from name()/overflow() (EINVAL);
  /// RuleError for a user rule RE2 cannot build; UsageError when called twice or for options
  /// out of bounds (max_inflight_bytes). Nothing is left running then.
  void start();
  /// SIGTERM to the child's process group, SIGKILL after stop_grace if anything of the group
  /// still runs (a grandchild that ignores SIGTERM, even one that closed its output); waits
  /// until every line the child wrote reached every sink and the group is gone or was sent
  /// SIGKILL. Idempotent.
  void stop();
  /// Like stop() without waiting.
  void request_stop();

  /// True once the child exited and every line reached every sink. Waits at most `timeout`
  /// (forever when empty); false on timeout, and at once before start() or from a callback.
  bool wait_for_completion(std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  bool is_complete() const;

  /// The last `num_lines` buffered lines (all when empty), oldest first.
  std::vector<std::string> get_logs(std::optional<std::size_t> num_lines = std::nullopt) const;
  /// The same, joined with '\n'.
  std::string get_all_logs_str(std::optional<std::size_t> num_lines = std::nullopt) const;
  /// The buffered lines with their sequence numbers, sources and times.
  std::vector<OwnedLine> get_entries(std::optional<std::size_t> num_lines = std::nullopt) const;
  /// A snapshot of the whole buffer (the seed's log_buffer property).
  std::vector<std::string> log_buffer() const { return get_logs(); }

  TrainingProgress get_progress() const;
  /// The metric store the extractor fills; thread-safe. It exists from construction (empty
  /// until lines arrive), so a MetricsSink for it can be added before start().
  std::shared_ptr<MetricStore> get_metrics() const { return metrics_; }

  bool is_process_running() const;
  /// Empty while running; the exit code, or minus the signal number (Python's returncode).
  std::optional<int> get_process_returncode() const;
  std::optional<ExitStatus> exit_status() const;
  std::optional<int> pid() const;

  /// When start() was called (the seed's start_time).
  std::chrono::system_clock::time_point start_time() const;
  /// Lines for consumers that pull (the seed's output_queue); any thread. The queue is fed
  /// only when this was called before start(), so a stream nobody pulls from pays nothing:
  /// after start() it throws UsageError unless it was called before. The queue lives as long
  /// as the Streamer; its pop() returns empty once the stream completed (or start() failed, or
  /// the Streamer is being destroyed) and every line was taken.
  OutputQueue& output_queue();
  StreamStats stats() const;
  Runtime& runtime() noexcept { return *runtime_; }
  /// The run's id in StreamerOptions::store (empty without a store), from construction on.
  const std::string& run_id() const noexcept { return run_id_; }
  /// The log file's path: the one given, the store's default, or empty for none.
  const std::filesystem::path& log_path() const noexcept { return log_path_; }

private:
  struct Pending;
  Streamer(Input input, std::filesystem::path log_file, StreamerOptions options);
  std::shared_ptr<Stream> current() const;

  std::shared_ptr<Runtime> runtime_;
  std::shared_ptr<OutputQueue> output_queue_;
  std::shared_ptr<MetricStore> metrics_;
  mutable std::mutex stream_mutex_;  // guards pending_ and stream_ (published once built)
  std::unique_ptr<Pending> pending_;
  std::shared_ptr<Stream> stream_;
  std::string run_id_;
  std::filesystem::path log_path_;
};

}  // namespace logstream
