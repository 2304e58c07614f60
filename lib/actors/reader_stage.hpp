// ReaderStage: the reader of the README's pipeline. The child, its pipes (or a caller's fd),
// the framer and the timers of the end of input, all on the loop thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include <logstream/framing.hpp>
#include <logstream/streamer.hpp>

#include "actors/extract_actor.hpp"
#include "actors/inflight_budget.hpp"
#include "actors/mailbox.hpp"
#include "framer.hpp"
#include "loop/child_process.hpp"
#include "loop/group_watch.hpp"
#include "loop/loop_handle.hpp"
#include "loop/reader.hpp"
#include "loop/timer.hpp"

namespace logstream {

/// What the reader stage tells its stream. Loop thread.
class ReaderStageEvents {
public:
  virtual ~ReaderStageEvents() = default;
  virtual void spawned(int pid) = 0;
  /// The child exited: for the queries and the on_event subscribers. The sinks hear of it from
  /// the stage, after the last line.
  virtual void exited(ExitStatus status, StreamEvent event) = 0;
  /// An event for the sinks (through tell_sinks()) and the subscribers.
  virtual void report(StreamEvent event) = 0;
  /// Reading stopped before the end of the output (the drain gave up): the stream is truncated.
  virtual void cut_off(StreamEvent event) = 0;
  /// The input ended and every loop handle is closed: the stage is done.
  virtual void loop_side_done() = 0;
};

/// Reads the input into framed batches for the extract actor's inbox, of which it is the one
/// producer, and ends it: after the child exited and every source reached its end (or the drain
/// gave up on a source a background process holds open), the exit event and the close follow
/// the last line. In-flight bytes are counted in `budget`: at its bound reading pauses.
///
/// Thread-bound: every member function but bytes_read() is called on the loop thread only.
class ReaderStage final : public ReaderOwner {
public:
  ReaderStage(uv_loop_t* loop, const Streamer::Input& input, const StreamerOptions& options, InflightBudget& budget,
              Mailbox<ReadMessage>& out, ReaderStageEvents& events);
  ~ReaderStage() override;
  ReaderStage(const ReaderStage&) = delete;
  ReaderStage& operator=(const ReaderStage&) = delete;

  /// Spawns the child (for a ProcessSpec) and opens the readers; nothing is read yet. From here
  /// on `keep_alive` is held until the input ended and the last loop handle closed. Throws
  /// StartError; nothing is left running then (the child is killed and its handles close on
  /// their own, `keep_alive` held until they did).
  void open(std::shared_ptr<const void> keep_alive);
  /// Starts reading; a stop() that came before is applied now.
  void start();
  /// SIGTERM to the child's group, SIGKILL after stop_grace; an fd source just stops reading.
  /// What was read is still delivered.
  void stop();
  /// Reading resumes when the budget has room again (after a release asked for it).
  void resume();
  /// An event for every sink, in its place among the batches; dropped after the end of input.
  void tell_sinks(std::shared_ptr<const StreamEvent> event);
  /// Bytes read so far. Any thread.
  std::uint64_t bytes_read() const noexcept { return bytes_read_.load(std::memory_order_relaxed); }

  // ReaderOwner
  bool admit(std::size_t bytes) override;
  void on_refused() override;
  void on_chunk(Chunk chunk) override;
  void on_end(Source source, int status) override;

private:
  void open_readers();
  void pause();
  void on_exit(ExitStatus status);
  void end_source(Reader& reader);
  void maybe_finish_input();
  void arm_drain();
  void arm_alert_clock();
  void on_drain_timer();
  void close_loop_side();
  void all_handles_closed();

  uv_loop_t* loop_;
  const Streamer::Input& input_;
  const StreamerOptions& options_;
  InflightBudget& budget_;
  Mailbox<ReadMessage>& out_;
  ReaderStageEvents& events_;

  // Every loop handle of the stage: the child's, the readers', the timers'. Declared before
  // them: their close callbacks may still come while they are destroyed.
  HandleCount handles_;
  Framer framer_;  // frames each read as it arrives
  std::unique_ptr<ChildProcess> child_;
  std::vector<std::unique_ptr<Reader>> readers_;
  std::unique_ptr<LoopTimer> grace_timer_;
  std::unique_ptr<GroupWatch> group_watch_;  // after the output ended: the stopped group's last exit
  std::unique_ptr<LoopTimer> drain_timer_;
  // Stall alerts need the clock without output: a tick to the extract actor a few times per
  // shortest stall rule, until the input ends.
  std::unique_ptr<LoopTimer> alert_clock_;
  std::chrono::milliseconds alert_period_{0};
  std::shared_ptr<const void> keep_alive_;  // the loop side's reference, until its handles close
  int open_sources_ = 0;
  bool exited_ = false;
  std::chrono::steady_clock::time_point exited_at_{};  // for max_drain
  bool input_finished_ = false;
  bool stop_requested_ = false;
  bool kill_pending_ = false;  // stop() asked; the grace timer has not sent SIGKILL yet
  bool started_ = false;       // a stop that comes first is applied once the child runs
  std::shared_ptr<const StreamEvent> exit_event_;  // to the sinks at the end of input
  std::atomic<std::uint64_t> bytes_read_{0};
};

}  // namespace logstream
