// Stream: one child's pipeline — loop side (child, readers, timers) wired to the actors.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <logstream/log_buffer.hpp>
#include <logstream/streamer.hpp>

#include "actors/extract_actor.hpp"
#include "actors/sink_actor.hpp"
#include "actors/stream_context.hpp"
#include "loop/child_process.hpp"
#include "loop/reader.hpp"
#include "loop/timer.hpp"
#include "runtime/runtime_impl.hpp"
#include "runtime/strand.hpp"

namespace logstream {

struct StreamConfig {
  Streamer::Input input;
  std::filesystem::path log_file;
  StreamerOptions options;
  std::vector<std::shared_ptr<Sink>> sinks;  // user sinks, after the built-in ones
  std::shared_ptr<OutputQueue> output_queue; // null unless asked for
  std::shared_ptr<MetricStore> metrics;      // the Streamer's: exists before start()
  // Each subscriber of a line or progress becomes a sink of its own.
  std::vector<std::function<void(const Line&)>> on_new_line;
  std::vector<std::function<void(const TrainingProgress&)>> on_progress_update;
  std::vector<std::function<void(const StreamEvent&)>> on_event;
  std::vector<std::function<void()>> on_complete;
};

/// Threads: the loop side (child_, readers_, timers, everything named *_on_loop) is touched on
/// the loop thread only; the actors run on the runtime's actor executor, and so do on_event and
/// on_complete, through one strand (in order, one at a time, no lock held); the queries and
/// request_stop() are thread-safe. Events reach the sinks through the extract actor's inbox, whose one
/// producer is the loop side: an event from elsewhere (a sink's error) is posted to the loop.
class Stream final : public StreamContext, public ReaderOwner, public std::enable_shared_from_this<Stream> {
public:
  Stream(RuntimeImpl& runtime, StreamConfig config);
  ~Stream() override;

  void build();  // the pipeline; throws StartError for a sink that throws from name()/overflow()
  void start();  // blocks until spawned; throws StartError
  void request_stop();
  bool wait(std::optional<std::chrono::milliseconds> timeout);
  bool complete() const;

  const LogBuffer& buffer() const noexcept { return *buffer_; }
  TrainingProgress progress() const;
  std::optional<ExitStatus> exit_status() const;
  bool running() const noexcept { return running_.load(std::memory_order_acquire); }
  std::optional<int> pid() const;
  std::chrono::system_clock::time_point start_time() const;
  StreamStats stats() const;

  // StreamContext (any thread)
  void report(StreamEvent event) override;
  void release(std::size_t bytes) override;
  void progress_changed(const TrainingProgress& progress) override;
  void actor_done() override;
  void every_on_loop(std::chrono::milliseconds period, std::function<bool()> tick) override;

  // ReaderOwner (loop thread)
  bool admit(std::size_t bytes) override;
  void on_refused() override;
  void on_chunk(Chunk chunk) override;
  void on_end(Source source, int status) override;
  void on_handle_closed() override;

private:
  void start_on_loop();
  void open_readers_on_loop();
  void stop_on_loop();
  void on_exit_on_loop(ExitStatus status);
  void end_source_on_loop(Reader& reader);
  void maybe_finish_input_on_loop();
  void arm_drain_on_loop();
  void pause_on_loop();
  void resume_on_loop();
  void close_loop_side_on_loop();
  void finish();
  void complete_on_strand();
  void call_on_event(const StreamEvent& event) noexcept;
  void tell_subscribers(StreamEvent event);
  void tell_sinks_on_loop(std::shared_ptr<const StreamEvent> event);
  std::size_t add_inflight(std::size_t bytes);

  RuntimeImpl& runtime_;
  StreamConfig config_;

  // Pipeline (built in the constructor, run from start()).
  std::shared_ptr<LogBuffer> buffer_;
  std::vector<std::unique_ptr<SinkActor>> sink_actors_;
  std::unique_ptr<ExtractActor> extract_;

  // Loop side.
  Framer framer_;  // frames each read as it arrives
  std::unique_ptr<ChildProcess> child_;
  std::vector<std::unique_ptr<Reader>> readers_;
  std::unique_ptr<LoopTimer> grace_timer_;
  std::unique_ptr<LoopTimer> drain_timer_;
  std::shared_ptr<Stream> keep_alive_;  // the loop side's reference, until its handles close
  int open_handles_ = 0;
  int open_sources_ = 0;
  bool exited_ = false;
  std::chrono::steady_clock::time_point exited_at_{};  // for max_drain
  bool input_finished_ = false;
  bool stop_requested_ = false;
  bool kill_pending_ = false;  // stop() asked; the grace timer has not sent SIGKILL yet
  bool started_on_loop_ = false;  // a stop that comes first is applied once the child runs
  bool paused_on_loop_ = false;
  std::shared_ptr<const StreamEvent> exit_event_;  // to the sinks at the end of input

  // Backpressure, shared with the actors.
  std::atomic<std::size_t> inflight_{0};
  std::atomic<std::size_t> peak_inflight_{0};
  std::atomic<bool> paused_{false};
  std::atomic<bool> resume_posted_{false};
  std::atomic<std::uint64_t> pauses_{0};
  std::atomic<std::uint64_t> bytes_read_{0};

  // Completion: the loop side, the extract actor and every sink actor each count one.
  std::atomic<int> pending_{0};
  std::atomic<bool> running_{false};
  std::atomic<bool> started_{false};
  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable done_cv_;
  bool done_ = false;
  bool truncated_ = false;
  std::optional<ExitStatus> exit_status_;
  std::optional<int> pid_;
  TrainingProgress progress_;
  std::chrono::system_clock::time_point start_time_{};
  Strand callbacks_;  // on_event and on_complete, in order, on the actor executor
};

}  // namespace logstream
