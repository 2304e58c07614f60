// Streamer: the public face of a Stream; holds the settings until start() builds the pipeline.
#include <logstream/streamer.hpp>

#include <fmt/format.h>

#include <logstream/error.hpp>

#include "actors/stream.hpp"
#include "sink_access.hpp"
#include "store/run_recorder.hpp"

namespace logstream {

void throw_subscribed_after_start(const char* what) {
  throw UsageError(fmt::format("{} must be subscribed to before start()", what));
}

struct Streamer::Pending {
  Input input;
  std::filesystem::path log_file;
  StreamerOptions options;
  std::vector<std::shared_ptr<Sink>> sinks;
  bool output_queue_used = false;
  bool start_called = false;
  std::shared_ptr<store::RunRecorder> recorder;  // with a store
};

namespace {

std::string base_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::vector<std::string> command_of(const Streamer::Input& input) {
  if (const auto* spec = std::get_if<ProcessSpec>(&input)) return spec->argv;
  return {fmt::format("fd:{}", std::get<FdSource>(input).fd)};
}

}  // namespace

Streamer::Streamer(ProcessSpec spec, std::filesystem::path log_file, StreamerOptions options)
    : Streamer(Input{std::move(spec)}, std::move(log_file), std::move(options)) {}

Streamer::Streamer(FdSource fd, std::filesystem::path log_file, StreamerOptions options)
    : Streamer(Input{fd}, std::move(log_file), std::move(options)) {}

Streamer::Streamer(Input input, std::filesystem::path log_file, StreamerOptions options)
    : runtime_(options.runtime ? options.runtime : std::make_shared<Runtime>()),
      output_queue_(std::make_shared<OutputQueue>(options.output_queue_lines, options.output_queue_bytes)),
      metrics_(std::make_shared<MetricStore>(options.extraction.metrics_options)),
      pending_(std::make_unique<Pending>(Pending{std::move(input), std::move(log_file), std::move(options), {}, false, false, nullptr})) {
  Pending& p = *pending_;
  if (p.options.store) {
    const std::vector<std::string> command = command_of(p.input);
    store::RunStart start{.name = p.options.run_name.empty() && !command.empty() ? base_name(command.front()) : p.options.run_name,
                          .group = p.options.run_group,
                          .command = command,
                          .log = p.log_file,
                          .raw_log = p.options.log_file.raw};
    p.recorder = std::make_shared<store::RunRecorder>(p.options.store, std::move(start), metrics_);
    if (p.log_file.empty()) p.log_file = p.recorder->log_path();  // else the user's spelling, in messages too
    p.sinks.push_back(p.recorder);
    run_id_ = p.recorder->id();
    if (p.options.alerts.channels.run.empty()) p.options.alerts.channels.run = run_id_;
  }
  log_path_ = p.log_file;
}

Streamer::~Streamer() {
  if (auto stream = current(); stream && !stream->complete()) {
    stream->request_stop();
    // From a callback (or a host loop's thread) nothing may wait: the stream finishes on its
    // own, and the runtime waits for it before it goes.
    if (!runtime_->on_runtime_thread()) stream->wait(std::nullopt);
  }
  detail::SinkAccess::sink(*output_queue_).close();  // a consumer in pop() is let go (a failed start fed nothing)
  {
    std::lock_guard lock(stream_mutex_);
    stream_.reset();
  }
  runtime_.reset();
}

std::shared_ptr<Stream> Streamer::current() const {
  std::lock_guard lock(stream_mutex_);
  return stream_;
}

void Streamer::add_sink(std::shared_ptr<Sink> sink) {
  std::lock_guard lock(stream_mutex_);
  if (pending_->start_called) throw UsageError("add_sink() must come before start()");
  pending_->sinks.push_back(std::move(sink));
}

OutputQueue& Streamer::output_queue() {
  std::lock_guard lock(stream_mutex_);
  if (pending_->start_called && !pending_->output_queue_used)
    throw UsageError("output_queue() must be called before start(): the queue is fed only when asked for");
  pending_->output_queue_used = true;
  return *output_queue_;
}

void Streamer::start() {
  StreamConfig config;
  {
    std::lock_guard lock(stream_mutex_);
    if (pending_->start_called) throw UsageError("start() was already called");
    pending_->start_called = true;
    started_.store(true, std::memory_order_release);
    config = StreamConfig{pending_->input,
                          pending_->log_file,
                          pending_->options,
                          pending_->sinks,
                          pending_->output_queue_used ? output_queue_ : nullptr,
                          metrics_,
                          on_new_line.functions(),
                          on_progress_update.functions(),
                          on_event.functions(),
                          on_complete.functions()};
  }
  if (pending_->recorder)  // first: the run is ended in the store before any user hears of it
    config.on_complete.insert(config.on_complete.begin(), [recorder = pending_->recorder] { recorder->complete(); });
  config.options.runtime.reset();  // the Streamer holds the runtime; the runtime waits for the stream
  // A callback may destroy this Streamer as soon as the stream starts: from then on only locals.
  const std::shared_ptr<store::RunRecorder> recorder = pending_->recorder;
  std::shared_ptr<Stream> started;
  try {
    auto stream = std::make_shared<Stream>(runtime_impl(*runtime_), std::move(config));
    stream->build();  // StartError for a sink that cannot even say its name: nothing runs yet
    {
      // Published built, so a query racing start() sees either nothing or a whole pipeline.
      std::lock_guard lock(stream_mutex_);
      stream_ = stream;
    }
    stream->start();
    started = std::move(stream);
  } catch (const std::exception& e) {
    detail::SinkAccess::sink(*output_queue_).close();  // nothing will feed it
    if (recorder) recorder->start_failed(e.what());
    throw;
  } catch (...) {
    detail::SinkAccess::sink(*output_queue_).close();
    if (recorder) recorder->start_failed("start() failed");
    throw;
  }
  if (recorder) recorder->started(started->pid());
}

void Streamer::stop() {
  auto stream = current();
  if (!stream) return;
  stream->request_stop();
  stream->wait(std::nullopt);
}

void Streamer::request_stop() {
  if (auto stream = current()) stream->request_stop();
}

bool Streamer::wait_for_completion(std::optional<std::chrono::milliseconds> timeout) {
  auto stream = current();
  return stream ? stream->wait(timeout) : false;
}

bool Streamer::is_complete() const {
  auto stream = current();
  return stream && stream->complete();
}

std::vector<std::string> Streamer::get_logs(std::optional<std::size_t> num_lines) const {
  auto stream = current();
  return stream ? stream->buffer().texts(num_lines) : std::vector<std::string>{};
}

std::string Streamer::get_all_logs_str(std::optional<std::size_t> num_lines) const {
  auto stream = current();
  return stream ? stream->buffer().joined(num_lines) : std::string{};
}

std::vector<OwnedLine> Streamer::get_entries(std::optional<std::size_t> num_lines) const {
  auto stream = current();
  return stream ? stream->buffer().lines(num_lines) : std::vector<OwnedLine>{};
}

TrainingProgress Streamer::get_progress() const {
  auto stream = current();
  return stream ? stream->progress() : TrainingProgress{};
}

bool Streamer::is_process_running() const {
  auto stream = current();
  return stream && stream->running();
}

std::optional<int> Streamer::get_process_returncode() const {
  auto status = exit_status();
  if (!status) return std::nullopt;
  return status->returncode();
}

std::optional<ExitStatus> Streamer::exit_status() const {
  auto stream = current();
  return stream ? stream->exit_status() : std::nullopt;
}

std::optional<int> Streamer::pid() const {
  auto stream = current();
  return stream ? stream->pid() : std::nullopt;
}

std::chrono::system_clock::time_point Streamer::start_time() const {
  auto stream = current();
  return stream ? stream->start_time() : std::chrono::system_clock::time_point{};
}

StreamStats Streamer::stats() const {
  auto stream = current();
  return stream ? stream->stats() : StreamStats{};
}

}  // namespace logstream
