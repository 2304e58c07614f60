// The reader stage: spawn, read and frame on the loop thread, and end the input only when every
// byte the child wrote is out (or the drain gave up on a background process).
#include "actors/reader_stage.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "loop/fd_source_reader.hpp"
#include "loop/pipe_reader.hpp"

namespace logstream {

ReaderStage::ReaderStage(uv_loop_t* loop, const Streamer::Input& input, const StreamerOptions& options,
                         InflightBudget& budget, Mailbox<ReadMessage>& out, ReaderStageEvents& events)
    : loop_(loop),
      input_(input),
      options_(options),
      budget_(budget),
      out_(out),
      events_(events),
      handles_([this] { all_handles_closed(); }),
      framer_(options.framing) {}

ReaderStage::~ReaderStage() = default;

// ---- start ----------------------------------------------------------------------------------

void ReaderStage::open(std::shared_ptr<const void> keep_alive) {
  if (auto* spec = std::get_if<ProcessSpec>(&input_)) {
    child_ = std::make_unique<ChildProcess>(loop_, *spec, [this](ExitStatus status) { on_exit(status); }, &handles_);
    keep_alive_ = keep_alive;
    events_.spawned(child_->pid());
  }
  open_readers();
  keep_alive_ = std::move(keep_alive);
}

void ReaderStage::open_readers() {
  if (!child_) {
    // A caller's fd: on failure it stays theirs, open; nothing else was made.
    readers_.push_back(open_fd_source(loop_, std::get<FdSource>(input_), *this, &handles_));
    ++open_sources_;
    return;
  }
  std::vector<std::pair<int, Source>> fds;
  fds.emplace_back(child_->stdout_fd(), Source::out);
  if (child_->stderr_fd() >= 0) fds.emplace_back(child_->stderr_fd(), Source::err);
  for (std::size_t i = 0; i < fds.size(); ++i) {
    try {
      readers_.push_back(std::make_unique<PipeReader>(loop_, fds[i].first, fds[i].second, *this, &handles_));
      ++open_sources_;
    } catch (...) {
      // Nothing may be left half-started: the fds not yet owned by a reader, the readers made
      // so far, and the child (its exit callback closes its handle).
      for (std::size_t j = i; j < fds.size(); ++j) ::close(fds[j].first);
      input_finished_ = true;
      for (auto& reader : readers_) reader->close();
      child_->signal_group(SIGKILL);
      throw;
    }
  }
}

void ReaderStage::start() {
  for (auto& reader : readers_) reader->start();
  started_ = true;
  std::chrono::milliseconds shortest{0};
  for (const AlertRule& rule : options_.alerts.rules)
    if (rule.kind == AlertKind::stall && (shortest.count() == 0 || rule.stall < shortest)) shortest = rule.stall;
  if (shortest.count() > 0) {
    alert_period_ = std::clamp(shortest / 5, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
    alert_clock_ = std::make_unique<LoopTimer>(loop_, &handles_);
    arm_alert_clock();
  }
  // A stop() that raced start() was held back until there was something to stop.
  if (stop_requested_) {
    stop_requested_ = false;
    stop();
  }
}

// ---- reading --------------------------------------------------------------------------------

bool ReaderStage::admit(std::size_t bytes) { return budget_.admit(bytes); }

void ReaderStage::on_refused() { pause(); }

void ReaderStage::on_chunk(Chunk chunk) {
  bytes_read_.fetch_add(chunk.bytes.size(), std::memory_order_relaxed);
  const std::size_t held = chunk.bytes.capacity();
  std::size_t now = budget_.add(held);
  // Framing here, beside the read, leaves the extract actor's thread to extraction: under a
  // flood the two run on two cores.
  out_.send(ReadMessage{framer_.frame(std::move(chunk)), held});
  // The next read would not be admitted: pause now rather than after a refused read.
  if (now + Reader::kReadBytes > budget_.max_bytes()) pause();
}

void ReaderStage::on_end(Source source, int status) {
  if (status != UV_EOF && status != UV_EIO) {
    events_.report(StreamEvent{.kind = EventKind::truncated,
                               .message = fmt::format("reading {} failed: {}", to_string(source), uv_strerror(status))});
  }
  for (auto& reader : readers_) {
    if (reader->source() == source) end_source(*reader);
  }
  maybe_finish_input();
}

void ReaderStage::end_source(Reader& reader) {
  if (!reader.is_open()) return;
  reader.close();
  --open_sources_;
  // The source's unfinished last line, if any.
  out_.send(ReadMessage{framer_.finish(reader.source()), 0});
}

void ReaderStage::pause() {
  if (!budget_.pause()) return;
  for (auto& reader : readers_) reader->pause();
  resume();  // the sinks may have caught up meanwhile
}

void ReaderStage::resume() {
  if (input_finished_ || !budget_.try_resume()) return;
  for (auto& reader : readers_) reader->start();
}

void ReaderStage::tell_sinks(std::shared_ptr<const StreamEvent> event) {
  // After the end of input the sinks are closing: they heard the last of the stream.
  if (input_finished_) return;
  out_.send(ReadMessage{{}, 0, std::move(event)});
}

// ---- the end of input -----------------------------------------------------------------------

void ReaderStage::on_exit(ExitStatus status) {
  exited_ = true;
  exited_at_ = std::chrono::steady_clock::now();
  // After stop(), the grace timer still ends the group's stragglers (grandchildren).
  if (grace_timer_ && !stop_requested_) grace_timer_->stop();
  StreamEvent event{.kind = EventKind::exited, .exit_code = status.exit_code, .term_signal = status.term_signal};
  event.message = status.term_signal ? fmt::format("killed by signal {}", *status.term_signal)
                                     : fmt::format("exited with code {}", status.exit_code.value_or(0));
  // Subscribers hear of it now; sinks after the last line, at the end of input.
  exit_event_ = std::make_shared<const StreamEvent>(event);
  events_.exited(status, std::move(event));
  maybe_finish_input();
}

void ReaderStage::maybe_finish_input() {
  if (input_finished_) return;
  bool process_done = !child_ || exited_;
  if (open_sources_ == 0 && process_done) {
    if (exit_event_) out_.send(ReadMessage{{}, 0, std::move(exit_event_)});
    input_finished_ = true;
    out_.close();
    close_loop_side();
  } else if (process_done) {
    arm_drain();
  }
}

void ReaderStage::arm_alert_clock() {
  alert_clock_->start(alert_period_, [this] {
    out_.send(ReadMessage{.tick = true});
    arm_alert_clock();
  });
}

void ReaderStage::arm_drain() {
  if (!drain_timer_) {
    drain_timer_ = std::make_unique<LoopTimer>(loop_, &handles_);
  }
  for (auto& reader : readers_) reader->take_recent_bytes();
  // The drain looks every drain_timeout, and once more exactly at max_drain.
  const auto& max_drain = options_.max_drain;
  std::chrono::milliseconds delay = options_.drain_timeout;
  if (max_drain && child_) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(exited_at_ + *max_drain - std::chrono::steady_clock::now());
    delay = std::clamp(left, std::chrono::milliseconds(0), delay);
  }
  drain_timer_->start(delay, [this] { on_drain_timer(); });
}

void ReaderStage::on_drain_timer() {
  if (input_finished_) return;
  const auto& max_drain = options_.max_drain;
  const bool over = max_drain && child_ && std::chrono::steady_clock::now() >= exited_at_ + *max_drain;
  std::size_t recent = 0;
  for (auto& reader : readers_) recent += reader->take_recent_bytes() + reader->unread_bytes();
  // Paused by backpressure: those bytes are owed to the sinks, wait for them. Still
  // flowing: a background process is writing, give it time, unless stop() was asked for.
  // Bytes waiting in the pipe count as flowing: on a starved machine the loop may not have
  // read for a whole timeout, and what the child wrote before it exited must not be cut.
  // Past max_drain, nothing is waited for.
  if (!over && (budget_.is_paused() || (recent > 0 && !stop_requested_))) {
    arm_drain();
    return;
  }
  const std::string message =
      over ? fmt::format("the child exited but its output stayed open {} ms later "
                         "(a background process holds it): stopped reading at max_drain",
                         max_drain->count())
           : fmt::format("the child exited but its output stayed open for {} ms "
                         "(a background process holds it): stopped reading",
                         options_.drain_timeout.count());
  events_.cut_off(StreamEvent{.kind = EventKind::truncated, .message = message});
  for (auto& reader : readers_) end_source(*reader);
  maybe_finish_input();
}

void ReaderStage::close_loop_side() {
  // The end of the output does not end the group: a member that ignored SIGTERM and let go of
  // the pipes (or was cut off by the drain timeout) still gets its SIGKILL, and the stream
  // completes after it. A group already gone is not waited for.
  if (grace_timer_) {
    if (kill_pending_ && child_ && child_->group_alive()) {
      // Not a second longer than the group lives: its last exit ends the wait.
      group_watch_ = std::make_unique<GroupWatch>(loop_, &handles_, child_->pid(), [this] {
        kill_pending_ = false;
        grace_timer_->close();
      });
    } else {
      grace_timer_->close();
    }
  }
  if (drain_timer_) drain_timer_->close();
  if (alert_clock_) alert_clock_->close();
  for (auto& reader : readers_) reader->close();
  if (handles_.open() == 0) all_handles_closed();
}

void ReaderStage::all_handles_closed() {
  if (!input_finished_ || !keep_alive_) return;
  // The last loop handle is gone: the loop side is done. Drop our own reference last.
  auto keep = std::move(keep_alive_);
  events_.loop_side_done();
}

// ---- stop -----------------------------------------------------------------------------------

void ReaderStage::stop() {
  if (stop_requested_ || input_finished_) return;
  stop_requested_ = true;
  if (!started_) return;  // start() applies it
  if (child_) {
    child_->signal_group(SIGTERM);
    if (!grace_timer_) {
      grace_timer_ = std::make_unique<LoopTimer>(loop_, &handles_);
    }
    kill_pending_ = true;
    grace_timer_->start(options_.stop_grace, [this] {
      kill_pending_ = false;
      if (child_) child_->signal_group(SIGKILL);
      if (!input_finished_) return;
      grace_timer_->close();  // the stream waited for this
      if (group_watch_) group_watch_->close();
    });
    if (exited_) arm_drain();
    return;
  }
  // An fd source: stop reading; what was read is still delivered.
  for (auto& reader : readers_) end_source(*reader);
  maybe_finish_input();
}

}  // namespace logstream
