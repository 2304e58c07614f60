// PlainDisplay (see plain_display.hpp).
#include "plain_display.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "filter_flags.hpp"
#include "format.hpp"
#include "frame.hpp"
#include "messages.hpp"
#include "panel.hpp"
#include "terminal.hpp"
#include "terminal_safe.hpp"

namespace logstream::cli {

// The committed lines on stdout, one write per batch. A write error retires the sink (the
// stream reports it); its errno tells a failure from a reader that left.
class PlainDisplay::LineSink : public Sink {
public:
  explicit LineSink(bool separate_groups) : separate_groups_(separate_groups) {}

  void write(const LineBatch& batch) override {
    out_.clear();
    for (const Line& line : batch) {
      if (line.transient) continue;
      if (separate_groups_ && last_seq_ != 0 && line.seq != last_seq_ + 1) out_ += "--\n";
      last_seq_ = line.seq;
      if (line.is_stderr()) out_ += "[stderr] ";
      append_terminal_safe(out_, line.text);
      if (!line.continued) out_ += '\n';
    }
    if (write_all(STDOUT_FILENO, out_)) return;
    const int error = errno;
    error_ = error;
    throw_stdout_error(error, "the log file still gets them");
  }
  std::string name() const override { return "stdout"; }
  int error() const noexcept { return error_; }

private:
  bool separate_groups_;
  std::uint64_t last_seq_ = 0;
  std::string out_;
  std::atomic<int> error_{0};
};

PlainDisplay::PlainDisplay(bool show_lines, std::chrono::milliseconds status_interval, LineFilter filter)
    : show_lines_(show_lines), filter_(std::move(filter)), interval_(status_interval) {}

PlainDisplay::~PlainDisplay() { status_thread_.stop(); }

void PlainDisplay::attach(Streamer& streamer) {
  streamer_ = &streamer;
  if (show_lines_) {
    sink_ = std::make_shared<LineSink>(separates_groups(filter_));
    streamer.add_sink(filtered(sink_, filter_));
  }
  streamer.on_event += [this](const StreamEvent& e) {
    if (std::string text = event_notice(e); !text.empty()) notice(text);
  };
}

void PlainDisplay::begin() {
  started_ = std::chrono::steady_clock::now();
  status_thread_.start(interval_, [this] {
    std::unique_lock lock(mutex_);
    const std::string line = status_line(std::chrono::steady_clock::now());
    lock.unlock();
    if (!line.empty()) write_all(STDERR_FILENO, line);
  });
}

// Bounded: the signal thread calls this, and must not hang on a stderr nobody reads.
void PlainDisplay::notice(std::string_view text) { say_within(text); }

std::string PlainDisplay::failure() const {
  return stdout_failure(sink_ ? sink_->error() : 0);
}

void PlainDisplay::end(const RunSummary&) { status_thread_.stop(); }

// Empty when nothing changed since the last status: an idle job does not fill the log.
std::string PlainDisplay::status_line(std::chrono::steady_clock::time_point now) {
  const StreamStats stats = streamer_->stats();
  const TrainingProgress progress = streamer_->get_progress();
  const double rate = rate_.sample(stats.lines, now);
  if (stats.lines == last_lines_ && progress.updates == last_updates_) return {};
  last_lines_ = stats.lines;
  last_updates_ = progress.updates;
  const double elapsed = seconds_between(started_, now);
  std::string line = fmt::format("{} | {} lines | {:.1f} lines/s | {}", format_clock(elapsed), stats.lines, rate,
                                 describe_progress(progress));
  if (progress.best_score) line += " | best " + format_score(*progress.best_score);
  if (auto eta = eta_seconds(progress, elapsed)) line += " | ETA " + format_clock(*eta);
  return message_line(line);  // describe_progress carries the child's text (the model name)
}

}  // namespace logstream::cli
