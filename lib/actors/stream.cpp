// Stream: starts the actors, spawns the child, reads it, and ends only when every byte is out.
#include "actors/stream.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <future>
#include <variant>

#include <fmt/format.h>

#include <logstream/error.hpp>
#include <logstream/sinks/callback_sink.hpp>
#include <logstream/sinks/file_sink.hpp>

#include "actors/detached.hpp"
#include "sinks/progress_callback_sink.hpp"
#include "loop/fd_source_reader.hpp"
#include "loop/pipe_reader.hpp"
#include "loop/ticker.hpp"

namespace logstream {

Stream::Stream(RuntimeImpl& runtime, StreamConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      buffer_(std::make_shared<LogBuffer>(
          LogBufferOptions{config_.options.buffer_lines, config_.options.buffer_max_bytes})),
      framer_(config_.options.framing),
      callbacks_(runtime.actor_executor()) {}

Stream::~Stream() = default;

// ---- start ----------------------------------------------------------------------------------

namespace {
std::string describe(const Streamer::Input& input) {
  if (const auto* spec = std::get_if<ProcessSpec>(&input)) return spec->argv.empty() ? std::string() : spec->argv[0];
  return fmt::format("fd {}", std::get<FdSource>(input).fd);
}
}  // namespace

void Stream::build() {
  const StreamerOptions& o = config_.options;
  std::vector<std::shared_ptr<Sink>> sinks;
  sinks.push_back(buffer_);
  if (!config_.log_file.empty()) sinks.push_back(std::make_shared<FileSink>(config_.log_file, o.log_file));
  for (auto& callback : config_.on_new_line)
    sinks.push_back(std::make_shared<CallbackSink>(callback, CallbackSinkOptions{.name = "on_new_line"}));
  for (auto& callback : config_.on_progress_update) sinks.push_back(std::make_shared<ProgressCallbackSink>(callback));
  if (config_.output_queue) sinks.push_back(config_.output_queue);
  for (auto& sink : config_.sinks) sinks.push_back(sink);

  Executor& executor = runtime_.actor_executor();
  std::vector<SinkActor*> outs;
  for (std::size_t i = 0; i < sinks.size(); ++i) {
    // name() and overflow() are asked here, once: a sink that cannot answer them is a
    // configuration error, reported before anything runs.
    try {
      sink_actors_.push_back(std::make_unique<SinkActor>(*this, executor, sinks[i], o.drop_queue_bytes, o.drain_timeout));
    } catch (const std::exception& e) {
      throw StartError(std::make_error_code(std::errc::invalid_argument),
                       fmt::format("cannot start '{}': sink #{} threw from name() or overflow(): {}",
                                   describe(config_.input), i + 1, e.what()));
    } catch (...) {
      throw StartError(std::make_error_code(std::errc::invalid_argument),
                       fmt::format("cannot start '{}': sink #{} threw from name() or overflow()",
                                   describe(config_.input), i + 1));
    }
    outs.push_back(sink_actors_.back().get());
  }
  extract_ = std::make_unique<ExtractActor>(*this, executor, o.extraction, config_.metrics, std::move(outs));
}

void Stream::start() {
  if (started_.exchange(true)) throw UsageError("start() was already called");
  // Reading resumes once in-flight bytes fall to half the bound, and a read needs room for a
  // whole buffer: below two buffers no read is ever admitted and the loop would spin.
  constexpr std::size_t min_inflight = 2 * Reader::kReadBytes;
  try {
    if (config_.options.max_inflight_bytes < min_inflight)
      throw UsageError(fmt::format("StreamerOptions::max_inflight_bytes is {}: it must be at least {} (two reads)",
                                   config_.options.max_inflight_bytes, min_inflight));
    if (!extract_) build();  // may throw (an invalid rule): nothing runs yet
  } catch (...) {
    std::lock_guard lock(mutex_);
    done_ = true;  // complete: nothing to stop or wait for
    throw;
  }
  runtime_.stream_started();
  if (runtime_.on_loop_thread()) {
    try {
      start_on_loop();
    } catch (...) {
      runtime_.stream_ended();
      throw;
    }
    return;
  }
  // The error crosses threads as a plain code and text, rebuilt here: libstdc++'s exception
  // strings are shared copy-on-write, which a thread sanitizer cannot follow.
  struct Outcome {
    std::error_code code;
    std::string message;
    bool failed = false;
  };
  std::promise<Outcome> started;
  auto result = started.get_future();
  runtime_.loop_executor().post([this, &started] {
    Outcome outcome;
    try {
      start_on_loop();
    } catch (const StartError& e) {
      outcome = Outcome{e.code(), e.what(), true};
    } catch (const std::exception& e) {
      outcome = Outcome{std::make_error_code(std::errc::io_error), e.what(), true};
    }
    if (outcome.failed) runtime_.stream_ended();
    started.set_value(std::move(outcome));
  });
  Outcome outcome = result.get();
  if (outcome.failed) throw StartError(outcome.code, outcome.message);
}

void Stream::start_on_loop() {
  auto steady_start = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    start_time_ = std::chrono::system_clock::now();
    progress_.start_time = steady_start;
  }
  try {
    if (auto* spec = std::get_if<ProcessSpec>(&config_.input)) {
      child_ = std::make_unique<ChildProcess>(
          runtime_.loop(), *spec,
          ChildProcess::Callbacks{[this](ExitStatus status) { on_exit_on_loop(status); },
                                  [this] { on_handle_closed(); }});
      ++open_handles_;
      keep_alive_ = shared_from_this();
      {
        std::lock_guard lock(mutex_);
        pid_ = child_->pid();
      }
      running_.store(true, std::memory_order_release);
    }
    open_readers_on_loop();
  } catch (...) {
    std::lock_guard lock(mutex_);
    done_ = true;
    throw;
  }
  keep_alive_ = shared_from_this();
  runtime_.loop_executor().hold();

  pending_.store(static_cast<int>(sink_actors_.size()) + 2, std::memory_order_release);
  extract_->set_start(steady_start);
  Executor& executor = runtime_.actor_executor();
  for (auto& actor : sink_actors_) start_actor(executor, actor->run(), shared_from_this());
  start_actor(executor, extract_->run(), shared_from_this());
  for (auto& reader : readers_) reader->start();
  started_on_loop_ = true;
  // A stop() that raced start() was held back until there was something to stop.
  if (stop_requested_) {
    stop_requested_ = false;
    stop_on_loop();
  }
}

void Stream::open_readers_on_loop() {
  if (!child_) {
    // A caller's fd: on failure it stays theirs, open; nothing else was made.
    readers_.push_back(open_fd_source(runtime_.loop(), std::get<FdSource>(config_.input), *this));
    ++open_handles_;
    ++open_sources_;
    return;
  }
  std::vector<std::pair<int, Source>> fds;
  fds.emplace_back(child_->stdout_fd(), Source::out);
  if (child_->stderr_fd() >= 0) fds.emplace_back(child_->stderr_fd(), Source::err);
  for (std::size_t i = 0; i < fds.size(); ++i) {
    try {
      readers_.push_back(std::make_unique<PipeReader>(runtime_.loop(), fds[i].first, fds[i].second, *this));
      ++open_handles_;
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

// ---- reading (loop thread) --------------------------------------------------------------------

std::size_t Stream::add_inflight(std::size_t bytes) {
  std::size_t now = inflight_.fetch_add(bytes, std::memory_order_seq_cst) + bytes;
  std::size_t peak = peak_inflight_.load(std::memory_order_relaxed);
  while (now > peak && !peak_inflight_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return now;
}

bool Stream::admit(std::size_t bytes) {
  return inflight_.load(std::memory_order_seq_cst) + bytes <= config_.options.max_inflight_bytes;
}

void Stream::on_refused() { pause_on_loop(); }

void Stream::on_chunk(Chunk chunk) {
  bytes_read_.fetch_add(chunk.bytes.size(), std::memory_order_relaxed);
  const std::size_t held = chunk.bytes.capacity();
  std::size_t now = add_inflight(held);
  // Framing here, beside the read, leaves the extract actor's thread to extraction: under a flood the
  // two run on two cores.
  extract_->inbox().send(ReadMessage{framer_.frame(std::move(chunk)), held});
  // The next read would not be admitted: pause now rather than after a refused read.
  if (now + PipeReader::kReadBytes > config_.options.max_inflight_bytes) pause_on_loop();
}

void Stream::on_end(Source source, int status) {
  if (status != UV_EOF && status != UV_EIO) {
    report(StreamEvent{.kind = EventKind::truncated,
                       .message = fmt::format("reading {} failed: {}", to_string(source), uv_strerror(status))});
  }
  for (auto& reader : readers_) {
    if (reader->source() == source) end_source_on_loop(*reader);
  }
  maybe_finish_input_on_loop();
}

void Stream::end_source_on_loop(Reader& reader) {
  if (!reader.is_open()) return;
  reader.close();
  --open_sources_;
  // The source's unfinished last line, if any.
  extract_->inbox().send(ReadMessage{framer_.finish(reader.source()), 0});
}

void Stream::pause_on_loop() {
  if (paused_on_loop_) return;
  paused_on_loop_ = true;
  pauses_.fetch_add(1, std::memory_order_relaxed);
  // seq_cst store then load, against release()'s fetch_sub then load of paused_: one of the
  // two sides sees the other, so a release that drains the bound never misses the pause.
  paused_.store(true, std::memory_order_seq_cst);
  for (auto& reader : readers_) reader->pause();
  if (inflight_.load(std::memory_order_seq_cst) <= config_.options.max_inflight_bytes / 2) resume_on_loop();
}

void Stream::resume_on_loop() {
  if (!paused_on_loop_ || input_finished_) return;
  if (inflight_.load(std::memory_order_seq_cst) > config_.options.max_inflight_bytes / 2) return;
  paused_on_loop_ = false;
  paused_.store(false, std::memory_order_seq_cst);
  for (auto& reader : readers_) reader->start();
}

void Stream::release(std::size_t bytes) {
  std::size_t now = inflight_.fetch_sub(bytes, std::memory_order_seq_cst) - bytes;
  if (now > config_.options.max_inflight_bytes / 2 || !paused_.load(std::memory_order_seq_cst)) return;
  if (resume_posted_.exchange(true, std::memory_order_acq_rel)) return;
  runtime_.loop_executor().post([self = shared_from_this()] {
    self->resume_posted_.store(false, std::memory_order_release);
    self->resume_on_loop();
  });
}

// ---- the end of input (loop thread) ---------------------------------------------------------

void Stream::on_exit_on_loop(ExitStatus status) {
  exited_ = true;
  exited_at_ = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    exit_status_ = status;
  }
  running_.store(false, std::memory_order_release);
  // After stop(), the grace timer still ends the group's stragglers (grandchildren).
  if (grace_timer_ && !stop_requested_) grace_timer_->stop();
  StreamEvent event{.kind = EventKind::exited, .exit_code = status.exit_code, .term_signal = status.term_signal};
  event.message = status.term_signal ? fmt::format("killed by signal {}", *status.term_signal)
                                     : fmt::format("exited with code {}", status.exit_code.value_or(0));
  // Subscribers hear of it now; sinks after the last line, at the end of input.
  exit_event_ = std::make_shared<const StreamEvent>(event);
  tell_subscribers(std::move(event));
  maybe_finish_input_on_loop();
}

void Stream::maybe_finish_input_on_loop() {
  if (input_finished_) return;
  bool process_done = !child_ || exited_;
  if (open_sources_ == 0 && process_done) {
    if (exit_event_) extract_->inbox().send(ReadMessage{{}, 0, std::move(exit_event_)});
    input_finished_ = true;
    extract_->inbox().close();
    close_loop_side_on_loop();
  } else if (process_done) {
    arm_drain_on_loop();
  }
}

void Stream::arm_drain_on_loop() {
  if (!drain_timer_) {
    drain_timer_ = std::make_unique<LoopTimer>(runtime_.loop(), [this] { on_handle_closed(); });
    ++open_handles_;
  }
  for (auto& reader : readers_) reader->take_recent_bytes();
  // The drain looks every drain_timeout, and once more exactly at max_drain.
  const auto& max_drain = config_.options.max_drain;
  std::chrono::milliseconds delay = config_.options.drain_timeout;
  if (max_drain && child_) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(exited_at_ + *max_drain - std::chrono::steady_clock::now());
    delay = std::clamp(left, std::chrono::milliseconds(0), delay);
  }
  drain_timer_->start(delay, [this] {
    if (input_finished_) return;
    const auto& max_drain = config_.options.max_drain;
    const bool over = max_drain && child_ && std::chrono::steady_clock::now() >= exited_at_ + *max_drain;
    std::size_t recent = 0;
    for (auto& reader : readers_) recent += reader->take_recent_bytes() + reader->unread_bytes();
    // Paused by backpressure: those bytes are owed to the sinks, wait for them. Still
    // flowing: a background process is writing, give it time, unless stop() was asked for.
    // Bytes waiting in the pipe count as flowing: on a starved machine the loop may not have
    // read for a whole timeout, and what the child wrote before it exited must not be cut.
    // Past max_drain, nothing is waited for.
    if (!over && (paused_on_loop_ || (recent > 0 && !stop_requested_))) {
      arm_drain_on_loop();
      return;
    }
    {
      std::lock_guard lock(mutex_);
      truncated_ = true;
    }
    const std::string message =
        over ? fmt::format("the child exited but its output stayed open {} ms later "
                           "(a background process holds it): stopped reading at max_drain",
                           max_drain->count())
            : fmt::format("the child exited but its output stayed open for {} ms "
                          "(a background process holds it): stopped reading",
                          config_.options.drain_timeout.count());
    report(StreamEvent{.kind = EventKind::truncated, .message = message});
    for (auto& reader : readers_) end_source_on_loop(*reader);
    maybe_finish_input_on_loop();
  });
}

void Stream::close_loop_side_on_loop() {
  // The end of the output does not end the group: a member that ignored SIGTERM and let go of
  // the pipes (or was cut off by the drain timeout) still gets its SIGKILL, and the stream
  // completes after it. A group already gone is not waited for.
  if (grace_timer_ && !(kill_pending_ && child_ && child_->group_alive())) grace_timer_->close();
  if (drain_timer_) drain_timer_->close();
  for (auto& reader : readers_) reader->close();
  if (open_handles_ == 0) on_handle_closed();
}

void Stream::on_handle_closed() {
  if (open_handles_ > 0) --open_handles_;
  if (open_handles_ > 0 || !input_finished_ || !keep_alive_) return;
  // The last loop handle is gone: the loop side is done. Drop our own reference last.
  auto keep = std::move(keep_alive_);
  actor_done();
}

// ---- stop --------------------------------------------------------------------------------------

void Stream::request_stop() {
  if (!started_.load(std::memory_order_acquire)) return;
  runtime_.loop_executor().post([self = shared_from_this()] { self->stop_on_loop(); });
}

void Stream::stop_on_loop() {
  if (stop_requested_ || input_finished_) return;
  stop_requested_ = true;
  if (!started_on_loop_) return;  // start_on_loop() applies it
  if (child_) {
    child_->signal_group(SIGTERM);
    if (!grace_timer_) {
      grace_timer_ = std::make_unique<LoopTimer>(runtime_.loop(), [this] { on_handle_closed(); });
      ++open_handles_;
    }
    kill_pending_ = true;
    grace_timer_->start(config_.options.stop_grace, [this] {
      kill_pending_ = false;
      if (child_) child_->signal_group(SIGKILL);
      if (input_finished_) grace_timer_->close();  // the stream waited for this
    });
    if (exited_) arm_drain_on_loop();
    return;
  }
  // An fd source: stop reading; what was read is still delivered.
  for (auto& reader : readers_) end_source_on_loop(*reader);
  maybe_finish_input_on_loop();
}

// ---- completion ---------------------------------------------------------------------------------

void Stream::actor_done() {
  if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) finish();
}

void Stream::every_on_loop(std::chrono::milliseconds period, std::function<bool()> tick) {
  uv_loop_t* loop = runtime_.loop();
  runtime_.loop_executor().post(
      [loop, period, tick = std::move(tick)]() mutable { start_ticker(loop, period, std::move(tick)); });
}

void Stream::finish() {
  // Whichever actor (or the loop) finishes last: on_complete goes behind every event on the
  // strand, so it never runs on the I/O thread and comes after every event and line.
  callbacks_.post([this] { complete_on_strand(); }, shared_from_this());
}

void Stream::complete_on_strand() {
  for (auto& on_complete : config_.on_complete) {
    try {
      on_complete();
    } catch (const std::exception& e) {
      call_on_event(StreamEvent{.kind = EventKind::callback_error, .message = fmt::format("on_complete threw: {}", e.what())});
    } catch (...) {
      call_on_event(StreamEvent{.kind = EventKind::callback_error, .message = "on_complete threw"});
    }
  }
  RuntimeImpl& runtime = runtime_;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_cv_.notify_all();
  // The runtime counts this stream until the loop has run this: it outlives the post, and a
  // host loop is held (kept running) until then.
  runtime.loop_executor().post([&runtime] {
    runtime.loop_executor().release();
    runtime.stream_ended();
  });
}

bool Stream::wait(std::optional<std::chrono::milliseconds> timeout) {
  std::unique_lock lock(mutex_);
  if (done_) return true;
  // Waiting on the thread that must do the work would never end.
  if (runtime_.on_runtime_thread()) return false;
  if (!timeout) {
    done_cv_.wait(lock, [this] { return done_; });
    return true;
  }
  return done_cv_.wait_for(lock, *timeout, [this] { return done_; });
}

bool Stream::complete() const {
  std::lock_guard lock(mutex_);
  return done_;
}

// ---- events and queries -------------------------------------------------------------------------

void Stream::report(StreamEvent event) {
  // A user callback's error is for the on_event subscribers only: a sink that is told of it
  // and throws again would start a loop.
  if (event.kind != EventKind::callback_error) {
    auto shared = std::make_shared<const StreamEvent>(event);
    if (runtime_.on_loop_thread()) {
      tell_sinks_on_loop(std::move(shared));
    } else {
      runtime_.loop_executor().post(
          [self = shared_from_this(), shared = std::move(shared)]() mutable { self->tell_sinks_on_loop(std::move(shared)); });
    }
  }
  tell_subscribers(std::move(event));
}

void Stream::tell_sinks_on_loop(std::shared_ptr<const StreamEvent> event) {
  // After the end of input the sinks are closing: they heard the last of the stream.
  if (input_finished_ || !extract_) return;
  extract_->inbox().send(ReadMessage{{}, 0, std::move(event)});
}

void Stream::tell_subscribers(StreamEvent event) {
  if (config_.on_event.empty()) return;
  // From any thread (the loop reports exits and truncation): queued, never called here.
  callbacks_.post([this, event = std::move(event)] { call_on_event(event); }, shared_from_this());
}

void Stream::call_on_event(const StreamEvent& event) noexcept {
  for (auto& on_event : config_.on_event) {
    try {
      on_event(event);
    } catch (...) {
      // on_event is the error channel itself: there is nowhere left to report to.
    }
  }
}

void Stream::progress_changed(const TrainingProgress& progress) {
  std::lock_guard lock(mutex_);
  progress_ = progress;
}

TrainingProgress Stream::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

std::optional<ExitStatus> Stream::exit_status() const {
  std::lock_guard lock(mutex_);
  return exit_status_;
}

std::optional<int> Stream::pid() const {
  std::lock_guard lock(mutex_);
  return pid_;
}

std::chrono::system_clock::time_point Stream::start_time() const {
  std::lock_guard lock(mutex_);
  return start_time_;
}

StreamStats Stream::stats() const {
  StreamStats s;
  s.bytes = bytes_read_.load(std::memory_order_relaxed);
  s.inflight_bytes = inflight_.load(std::memory_order_relaxed);
  s.peak_inflight_bytes = peak_inflight_.load(std::memory_order_relaxed);
  s.read_pauses = pauses_.load(std::memory_order_relaxed);
  if (extract_) {
    s.stdout_lines = extract_->lines(Source::out);
    s.stderr_lines = extract_->lines(Source::err);
    s.lines = s.stdout_lines + s.stderr_lines;
  }
  {
    std::lock_guard lock(mutex_);
    s.truncated = truncated_;
  }
  for (const auto& actor : sink_actors_) s.sinks.push_back(actor->stats());
  return s;
}

}  // namespace logstream
