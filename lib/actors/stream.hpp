// Stream: one child's pipeline, the stages of the README's diagram wired together.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <logstream/log_buffer.hpp>
#include <logstream/streamer.hpp>

#include "actors/completion.hpp"
#include "actors/extract_actor.hpp"
#include "actors/inflight_budget.hpp"
#include "actors/reader_stage.hpp"
#include "actors/sink_actor.hpp"
#include "actors/stream_context.hpp"
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

/// One child's (or fd's) pipeline: the reader stage on the loop thread, the extract actor and
/// one actor per sink on the actor executor, the in-flight budget between them and the
/// completion after them. Stream wires these together and answers the queries.
///
/// Threads: the reader stage is touched on the loop thread only; the actors run on the
/// runtime's actor executor, and so do on_event and on_complete, through one strand (in order,
/// one at a time, no lock held); the queries and request_stop() are thread-safe. Events reach
/// the sinks through the extract actor's inbox, whose one producer is the reader stage: an
/// event from elsewhere (a sink's error) is posted to the loop.
///
/// Lifetime: a Stream is always held by a shared_ptr, and whatever may still touch it holds
/// one (shared_from_this()) for as long as it may:
///   - the Streamer, from start() until it is destroyed;
///   - the reader stage, from the spawn until the input ended and its last loop handle closed;
///   - each running actor (start_actor's keep_alive), until its coroutine returned;
///   - each task posted to the loop (a stop, a resume, an event from another thread) or to the
///     strand (events, the completion), until it ran.
/// The last of them to let go destroys it, on whichever thread that is. Nothing else keeps a
/// Stream alive, and nothing holds a plain pointer to it past those holders (the actors' and
/// the reader stage's references to it are covered by their own holds).
class Stream final : public StreamContext,
                     private ReaderStageEvents,
                     public std::enable_shared_from_this<Stream> {
public:
  Stream(RuntimeImpl& runtime, StreamConfig config);
  ~Stream() override;

  void build();  // the pipeline; throws StartError for a sink that throws from name()/overflow()
  void start();  // blocks until spawned; throws StartError
  void request_stop();
  bool wait(std::optional<std::chrono::milliseconds> timeout) { return completion_.wait(timeout); }
  bool complete() const { return completion_.is_done(); }

  const LogBuffer& buffer() const noexcept { return *buffer_; }
  TrainingProgress progress() const;
  std::optional<ExitStatus> exit_status() const;
  bool running() const noexcept { return running_.load(std::memory_order_acquire); }
  std::optional<int> pid() const;
  std::chrono::system_clock::time_point start_time() const;
  StreamStats stats() const;

  // StreamContext (any thread)
  void report(StreamEvent event) override;
  void tell_subscribers(StreamEvent event) override;
  void release(std::size_t bytes) override;
  void progress_changed(const TrainingProgress& progress) override;
  void actor_done() override;
  void every_on_loop(std::chrono::milliseconds period, std::function<bool()> tick) override;

private:
  // ReaderStageEvents (loop thread)
  void spawned(int pid) override;
  void exited(ExitStatus status, StreamEvent event) override;
  void cut_off(StreamEvent event) override;
  void loop_side_done() override { actor_done(); }

  void start_on_loop();
  void call_on_event(const StreamEvent& event) noexcept;

  RuntimeImpl& runtime_;
  StreamConfig config_;

  // Pipeline (built by build(), run from start()).
  std::shared_ptr<LogBuffer> buffer_;
  std::vector<std::unique_ptr<SinkActor>> sink_actors_;
  std::unique_ptr<ExtractActor> extract_;
  InflightBudget budget_;  // backpressure, shared by the reader stage and the actors
  std::unique_ptr<ReaderStage> reader_;  // the loop side

  std::atomic<bool> running_{false};
  std::atomic<bool> started_{false};
  mutable std::mutex mutex_;  // guards what follows
  bool truncated_ = false;
  std::optional<ExitStatus> exit_status_;
  std::optional<int> pid_;
  TrainingProgress progress_;
  std::chrono::system_clock::time_point start_time_{};

  Strand callbacks_;  // on_event and on_complete, in order, on the actor executor
  // The loop side, the extract actor and every sink actor each count one.
  Completion completion_;
};

}  // namespace logstream
