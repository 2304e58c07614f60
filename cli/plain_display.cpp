// PlainDisplay (see plain_display.hpp).
#include "plain_display.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <logstream/sinks/console_sink.hpp>

#include "format.hpp"
#include "panel.hpp"
#include "terminal.hpp"

namespace logstream::cli {

PlainDisplay::PlainDisplay(bool show_lines, std::chrono::milliseconds status_interval)
    : show_lines_(show_lines), interval_(status_interval) {}

PlainDisplay::~PlainDisplay() { stop_thread(); }

void PlainDisplay::attach(Streamer& streamer) {
  streamer_ = &streamer;
  if (show_lines_)
    streamer.add_sink(std::make_shared<ConsoleSink>(ConsoleSinkOptions{.fd = STDOUT_FILENO, .color = false, .sanitize = true}));
  streamer.on_event = [this](const StreamEvent& e) {
    if (e.kind != EventKind::exited && e.kind != EventKind::gap) notice(e.message);
  };
}

void PlainDisplay::begin() {
  started_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run_status_loop(); });
}

void PlainDisplay::notice(std::string_view text) {
  write_all(STDERR_FILENO, fmt::format("logstream: {}\n", text));
}

void PlainDisplay::end(const RunSummary&) { stop_thread(); }

void PlainDisplay::stop_thread() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PlainDisplay::run_status_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    const std::string line = status_line(std::chrono::steady_clock::now());
    if (line.empty()) continue;
    lock.unlock();
    write_all(STDERR_FILENO, line);
    lock.lock();
  }
}

// Empty when nothing changed since the last status: an idle job does not fill the log.
std::string PlainDisplay::status_line(std::chrono::steady_clock::time_point now) {
  const StreamStats stats = streamer_->stats();
  const TrainingProgress progress = streamer_->get_progress();
  const double rate = rate_.sample(stats.lines, now);
  if (stats.lines == last_lines_ && progress.updates == last_updates_) return {};
  last_lines_ = stats.lines;
  last_updates_ = progress.updates;
  const double elapsed = seconds_between(started_, now);
  std::string line = fmt::format("logstream: {} | {} lines | {:.1f} lines/s | {}", format_clock(elapsed), stats.lines,
                                 rate, describe_progress(progress));
  if (progress.best_score) line += " | best " + format_score(*progress.best_score);
  if (auto eta = eta_seconds(progress, elapsed)) line += " | ETA " + format_clock(*eta);
  // describe_progress may carry the child's text (the model name): no control bytes out.
  for (char& c : line)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  line += '\n';
  return line;
}

}  // namespace logstream::cli
