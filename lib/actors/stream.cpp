// Stream: builds the stages, starts them and answers for them; ends only when every byte is out.
#include "actors/stream.hpp"

#include <future>
#include <variant>

#include <fmt/format.h>

#include <logstream/error.hpp>
#include <logstream/sinks/callback_sink.hpp>
#include <logstream/sinks/file_sink.hpp>

#include "actors/detached.hpp"
#include "alerts/alert_delivery.hpp"
#include "sinks/progress_callback_sink.hpp"
#include "loop/ticker.hpp"
#include "sink_access.hpp"

namespace logstream {

Stream::Stream(RuntimeImpl& runtime, StreamConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      buffer_(std::make_shared<LogBuffer>(
          LogBufferOptions{config_.options.buffer_lines, config_.options.buffer_max_bytes})),
      budget_(config_.options.max_inflight_bytes),
      callbacks_(runtime.actor_executor()),
      completion_(runtime, callbacks_, config_.on_complete, [this](const StreamEvent& event) { call_on_event(event); }) {}

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
  sinks.push_back(detail::SinkAccess::shared_sink(buffer_));
  if (!config_.log_file.empty()) sinks.push_back(std::make_shared<FileSink>(config_.log_file, o.log_file));
  for (auto& callback : config_.on_new_line)
    sinks.push_back(std::make_shared<CallbackSink>(callback, CallbackSinkOptions{.name = "on_new_line"}));
  for (auto& callback : config_.on_progress_update) sinks.push_back(std::make_shared<ProgressCallbackSink>(callback));
  if (config_.output_queue) sinks.push_back(detail::SinkAccess::shared_sink(config_.output_queue));
  if (!o.alerts.rules.empty() && !o.alerts.channels.empty()) {
    // Reports from the delivery thread; close() joins it, so it never outlives the stream.
    sinks.push_back(std::make_shared<alerts::AlertDelivery>(o.alerts.channels, [this](StreamEvent e) { report(std::move(e)); }));
  }
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
  AlertOptions rules = o.alerts;
  rules.channels = {};  // the delivery sink's
  extract_ = std::make_unique<ExtractActor>(*this, executor, o.extraction, config_.metrics, std::move(outs), std::move(rules));
  ReaderStageEvents& events = *this;
  reader_ = std::make_unique<ReaderStage>(runtime_.loop(), config_.input, o, budget_, extract_->inbox(), events);
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
    completion_.mark_done();  // nothing to stop or wait for
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
    reader_->open(shared_from_this());
  } catch (...) {
    completion_.mark_done();
    throw;
  }
  runtime_.loop_executor().hold();

  completion_.expect(static_cast<int>(sink_actors_.size()) + 2);
  extract_->set_start(steady_start);
  Executor& executor = runtime_.actor_executor();
  for (auto& actor : sink_actors_) start_actor(executor, actor->run(), shared_from_this());
  start_actor(executor, extract_->run(), shared_from_this());
  reader_->start();
}

// ---- the reader stage's news (loop thread) --------------------------------------------------

void Stream::spawned(int pid) {
  {
    std::lock_guard lock(mutex_);
    pid_ = pid;
  }
  running_.store(true, std::memory_order_release);
}

void Stream::exited(ExitStatus status, StreamEvent event) {
  {
    std::lock_guard lock(mutex_);
    exit_status_ = status;
  }
  running_.store(false, std::memory_order_release);
  tell_subscribers(std::move(event));
}

void Stream::cut_off(StreamEvent event) {
  {
    std::lock_guard lock(mutex_);
    truncated_ = true;
  }
  report(std::move(event));
}

// ---- backpressure and stop (any thread) -----------------------------------------------------

void Stream::release(std::size_t bytes) {
  if (!budget_.release(bytes)) return;
  runtime_.loop_executor().post([self = shared_from_this()] {
    self->budget_.resume_arrived();
    self->reader_->resume();
  });
}

void Stream::request_stop() {
  if (!started_.load(std::memory_order_acquire)) return;
  runtime_.loop_executor().post([self = shared_from_this()] {
    if (self->reader_) self->reader_->stop();
  });
}

// ---- completion ---------------------------------------------------------------------------------

void Stream::actor_done() {
  if (completion_.part_done()) completion_.complete(shared_from_this());
}

void Stream::every_on_loop(std::chrono::milliseconds period, std::function<bool()> tick) {
  uv_loop_t* loop = runtime_.loop();
  runtime_.loop_executor().post(
      [loop, period, tick = std::move(tick)]() mutable { start_ticker(loop, period, std::move(tick)); });
}

// ---- events and queries -------------------------------------------------------------------------

void Stream::report(StreamEvent event) {
  // A user callback's error is for the on_event subscribers only: a sink that is told of it
  // and throws again would start a loop.
  if (event.kind != EventKind::callback_error) {
    auto shared = std::make_shared<const StreamEvent>(event);
    if (runtime_.on_loop_thread()) {
      if (reader_) reader_->tell_sinks(std::move(shared));
    } else {
      runtime_.loop_executor().post(
          [self = shared_from_this(), shared = std::move(shared)]() mutable {
            if (self->reader_) self->reader_->tell_sinks(std::move(shared));
          });
    }
  }
  tell_subscribers(std::move(event));
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
  if (reader_) s.bytes = reader_->bytes_read();
  s.inflight_bytes = budget_.inflight();
  s.peak_inflight_bytes = budget_.peak();
  s.read_pauses = budget_.pauses();
  if (extract_) {
    s.alerts = extract_->alerts();
    s.suppressed_alerts = extract_->suppressed_alerts();
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
