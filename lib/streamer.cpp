// Streamer: the public face of a Stream; holds the settings until start() builds the pipeline.
#include <logstream/streamer.hpp>

#include <logstream/error.hpp>

#include "actors/stream.hpp"

namespace logstream {

struct Streamer::Pending {
  Input input;
  std::filesystem::path log_file;
  StreamerOptions options;
  std::vector<std::shared_ptr<Sink>> sinks;
  bool output_queue_used = false;
};

Streamer::Streamer(ProcessSpec spec, std::filesystem::path log_file, StreamerOptions options)
    : Streamer(Input{std::move(spec)}, std::move(log_file), std::move(options)) {}

Streamer::Streamer(FdSource fd, std::filesystem::path log_file, StreamerOptions options)
    : Streamer(Input{fd}, std::move(log_file), std::move(options)) {}

Streamer::Streamer(Input input, std::filesystem::path log_file, StreamerOptions options)
    : runtime_(options.runtime ? options.runtime : std::make_shared<Runtime>()),
      output_queue_(std::make_shared<OutputQueue>(options.output_queue_lines)),
      metrics_(std::make_shared<MetricStore>(options.extraction.metrics_options)),
      pending_(std::make_unique<Pending>(Pending{std::move(input), std::move(log_file), std::move(options), {}, false})) {
}

Streamer::~Streamer() {
  if (stream_ && !stream_->complete()) {
    if (runtime_->on_runtime_thread()) stream_->request_stop();
    else stop();
  }
  stream_.reset();
  runtime_.reset();
}

void Streamer::add_sink(std::shared_ptr<Sink> sink) {
  if (stream_) throw UsageError("add_sink() must come before start()");
  pending_->sinks.push_back(std::move(sink));
}

OutputQueue& Streamer::output_queue() noexcept {
  pending_->output_queue_used = true;
  return *output_queue_;
}

void Streamer::start() {
  if (stream_) throw UsageError("start() was already called");
  StreamConfig config{pending_->input,
                      pending_->log_file,
                      pending_->options,
                      pending_->sinks,
                      pending_->output_queue_used ? output_queue_ : nullptr,
                      metrics_,
                      on_new_line,
                      on_progress_update,
                      on_event,
                      on_complete};
  config.options.runtime.reset();  // the Streamer holds the runtime; the stream must not
  stream_ = std::make_shared<Stream>(runtime_->impl(), std::move(config));
  stream_->start();
}

void Streamer::stop() {
  if (!stream_) return;
  stream_->request_stop();
  stream_->wait(std::nullopt);
}

void Streamer::request_stop() {
  if (stream_) stream_->request_stop();
}

bool Streamer::wait_for_completion(std::optional<std::chrono::milliseconds> timeout) {
  return stream_ ? stream_->wait(timeout) : false;
}

bool Streamer::is_complete() const { return stream_ && stream_->complete(); }

std::vector<std::string> Streamer::get_logs(std::optional<std::size_t> num_lines) const {
  return stream_ ? stream_->buffer().texts(num_lines) : std::vector<std::string>{};
}

std::string Streamer::get_all_logs_str(std::optional<std::size_t> num_lines) const {
  return stream_ ? stream_->buffer().joined(num_lines) : std::string{};
}

std::vector<OwnedLine> Streamer::get_entries(std::optional<std::size_t> num_lines) const {
  return stream_ ? stream_->buffer().lines(num_lines) : std::vector<OwnedLine>{};
}

TrainingProgress Streamer::get_progress() const { return stream_ ? stream_->progress() : TrainingProgress{}; }

bool Streamer::is_process_running() const { return stream_ && stream_->running(); }

std::optional<int> Streamer::get_process_returncode() const {
  auto status = exit_status();
  if (!status) return std::nullopt;
  return status->returncode();
}

std::optional<ExitStatus> Streamer::exit_status() const { return stream_ ? stream_->exit_status() : std::nullopt; }

std::optional<int> Streamer::pid() const { return stream_ ? stream_->pid() : std::nullopt; }

std::chrono::system_clock::time_point Streamer::start_time() const {
  return stream_ ? stream_->start_time() : std::chrono::system_clock::time_point{};
}

StreamStats Streamer::stats() const { return stream_ ? stream_->stats() : StreamStats{}; }

}  // namespace logstream
