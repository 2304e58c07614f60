// TtyDisplay (see display.hpp).
#include "display.hpp"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "filter_flags.hpp"
#include "format.hpp"
#include "messages.hpp"
#include "frame.hpp"
#include "panel.hpp"
#include "terminal_safe.hpp"
#include "text.hpp"

namespace logstream::cli {
namespace {

// Memory is bounded in bytes, not only in lines: a child printing lines of a megabyte must not
// make the display hold hundreds of them (the log file has them whole).
constexpr std::size_t max_history_bytes = 2 << 20;
// A line is shown cut to this many terminal rows' worth of columns, and of bytes per column
// (UTF-8 takes up to 4 bytes a column, and combining marks take none).
constexpr std::size_t shown_rows_per_line = 4;
constexpr std::size_t shown_bytes_per_column = 8;
constexpr std::size_t max_notice_columns = 1000;

std::size_t rows_taken(std::string_view text, std::size_t cols) {
  const std::size_t n = columns(text);
  return n == 0 ? 1 : (n + cols - 1) / cols;
}

// What the terminal shows of a line: terminal-safe, and cut to a few rows of a terminal `cols`
// wide, with a note saying so.
// Before each stderr line: a thin bar, so the pipe shows without colouring the line.
constexpr std::string_view stderr_marker = "\u2502 ";

std::string shown_text(std::string_view text, std::size_t cols, bool color) {
  const std::size_t max_columns = shown_rows_per_line * cols;
  const std::size_t max_bytes = shown_bytes_per_column * max_columns;
  std::string safe = terminal_safe(text.substr(0, max_bytes), color ? text::Escapes::keep_sgr : text::Escapes::drop);
  if (text.size() <= max_bytes && columns(safe) <= max_columns) return safe;
  safe.resize(truncate_columns(safe, max_columns).size());
  safe += fmt::format(" [... {} bytes in all, whole in the log file]", text.size());
  return safe;
}

}  // namespace

// Only queues the lines: drawing happens on the redraw thread, so this never blocks the stream.
class TtyDisplay::LineSink : public Sink {
public:
  explicit LineSink(TtyDisplay& owner) : owner_(owner) {}
  void write(const LineBatch& batch) override { owner_.take_batch(batch); }
  std::string name() const override { return "display"; }

private:
  TtyDisplay& owner_;
};

TtyDisplay::TtyDisplay(TtyDisplayOptions options)
    : options_(std::move(options)), separate_groups_(separates_groups(options_.filter)) {}

TtyDisplay::~TtyDisplay() {
  stop_thread();
  if (cursor_hidden_) write_all(STDOUT_FILENO, std::string("\n") + std::string(show_cursor));
}

void TtyDisplay::attach(Streamer& streamer) {
  streamer_ = &streamer;
  streamer.add_sink(filtered(std::make_shared<LineSink>(*this), options_.filter));
  streamer.on_event += [this](const StreamEvent& e) {
    std::string text = event_notice(e);
    if (text.empty()) return;
    if (e.kind == EventKind::alert) alert(text);
    else notice(text);
  };
}

void TtyDisplay::begin() {
  started_ = std::chrono::steady_clock::now();
  size_ = terminal_size(STDOUT_FILENO);
  shown_cols_ = std::max(size_.cols, 1);
  thread_ = std::thread([this] { run(); });
}

void TtyDisplay::take_batch(const LineBatch& batch) {
  const auto cols = static_cast<std::size_t>(shown_cols_.load(std::memory_order_relaxed));
  std::lock_guard lock(mutex_);
  // Every line, CR states included, as the summary counts them; the filter's batches skip
  // seqs, and its last batch reaches the batch's end.
  lines_ = std::max(lines_, batch.last_seq());
  // The progress after the batch is what the panel shows: it comes with the lines it was read from.
  if (!batch.progress_changes().empty()) progress_ = batch.progress_changes().back().progress;
  for (const Line& line : batch) {
    if (line.transient) {
      transient_ = shown_text(line.text, cols, false);  // the panel styles its own rows
      transient_source_ = line.source;
      last_shown_seq_ = line.seq;
      continue;
    }
    // A committed line of the same source replaces the CR state it came from.
    if (line.source == transient_source_) transient_.clear();
    if (!options_.show_lines) continue;
    if (separate_groups_ && last_shown_seq_ != 0 && line.seq != last_shown_seq_ + 1)
      pending_.push(Entry{"--", Kind::out, Level::debug});
    last_shown_seq_ = line.seq;
    // stderr is where Python's logging writes everything: it gets a quiet marker, and the
    // colour comes from the line's level, not from its pipe.
    std::string shown = shown_text(line.text, cols, options_.color);
    std::string text = line.is_stderr() ? std::string(stderr_marker) + shown : std::move(shown);
    pending_.push(Entry{std::move(text), line.is_stderr() ? Kind::err : Kind::out, line.level});
  }
  changed_ = true;
}

void TtyDisplay::notice(std::string_view text) {
  {
    std::lock_guard lock(mutex_);
    pending_.push(Entry{"logstream: " + terminal_safe_line(text, max_notice_columns), Kind::notice});
    changed_ = true;
  }
}

// A banner in the log area and the terminal's bell, so that an alert is seen from afar.
void TtyDisplay::alert(std::string_view text) {
  std::lock_guard lock(mutex_);
  pending_.push(Entry{"logstream: " + terminal_safe_line(text, max_notice_columns), Kind::alert});
  changed_ = true;
}

void TtyDisplay::resize() {
  std::lock_guard lock(mutex_);
  resized_ = true;
}

void TtyDisplay::suspend() {
  std::unique_lock lock(mutex_);
  if (!thread_.joinable() || stopping_) return;
  suspend_requested_ = true;
  wake_.notify_all();
  // Bounded: a terminal that blocks our write must not keep the job from stopping.
  parked_.wait_for(lock, std::chrono::seconds(1), [this] { return suspended_ || stopping_; });
}

void TtyDisplay::resume() {
  {
    std::lock_guard lock(mutex_);
    suspend_requested_ = false;
    suspended_ = false;
  }
  wake_.notify_all();
}

void TtyDisplay::park() {
  // The shell prints its "Stopped" line and prompt where the cursor is: take the panel away
  // and give the cursor back, then draw the panel afresh below whatever the shell printed.
  std::string frame;
  append_panel_erase(frame, panel_rows_);
  if (cursor_hidden_) frame += show_cursor;
  if (!frame.empty()) write_all(STDOUT_FILENO, frame);
  panel_rows_ = 0;
  cursor_hidden_ = false;
}

void TtyDisplay::end(const RunSummary&) {
  stop_thread();
  if (started_ == std::chrono::steady_clock::time_point{}) return;  // never began: nothing drawn
  std::string frame = render(true);
  frame += '\n';
  frame += show_cursor;
  write_all(STDOUT_FILENO, frame);
  cursor_hidden_ = false;
  panel_rows_ = 0;
}

void TtyDisplay::stop_thread() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  parked_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TtyDisplay::run() {
  std::unique_lock lock(mutex_);
  auto next_frame = std::chrono::steady_clock::now();
  while (!stopping_) {
    // A fixed pace, not one frame per event: at most 1/frame_interval frames a second. Only
    // stopping ends the wait early; lines and resizes wait for the next frame.
    if (wake_.wait_until(lock, next_frame, [this] { return stopping_ || suspend_requested_; })) {
      if (stopping_) break;
      lock.unlock();
      park();
      lock.lock();
      suspended_ = true;
      parked_.notify_all();
      wake_.wait(lock, [this] { return stopping_ || !suspended_; });
      size_ = terminal_size(STDOUT_FILENO);  // the window may have changed meanwhile
      continue;
    }
    next_frame = std::chrono::steady_clock::now() + options_.frame_interval;
    lock.unlock();
    const std::string frame = render(false);
    if (!frame.empty()) write_all(STDOUT_FILENO, frame);
    lock.lock();
  }
}

std::string TtyDisplay::render(bool finished) {
  const auto now = std::chrono::steady_clock::now();
  std::deque<Entry> entries;
  std::string transient;
  bool resized = false;
  std::uint64_t dropped = 0;
  std::uint64_t lines = 0;
  bool changed = false;
  TrainingProgress progress;
  {
    std::lock_guard lock(mutex_);
    entries = pending_.take();
    dropped = pending_.take_dropped();
    std::swap(resized, resized_);
    std::swap(changed, changed_);
    transient = finished ? std::string() : transient_;
    lines = lines_;
    progress = progress_;
  }
  // Between changes, one frame a second keeps the clock and the rate moving.
  const bool second_passed = now - last_frame_ >= std::chrono::seconds(1);
  if (!finished && !changed && !resized && !second_passed && cursor_hidden_) return {};
  last_frame_ = now;
  rate_value_ = rate_.sample(lines, now);
  if (dropped > 0)
    entries.push_front(Entry{fmt::format("logstream: {} lines not shown here (the terminal fell behind; they are in the log file)", dropped), Kind::notice});

  PanelInput input{.progress = std::move(progress), .transient = std::move(transient),
                   .title = options_.title, .lines_per_second = rate_value_, .lines = lines,
                   .elapsed_seconds = seconds_between(started_, now), .finished = finished};
  if (auto store = streamer_->get_metrics()) {
    input.metrics = store->summaries();
    std::stable_sort(input.metrics.begin(), input.metrics.end(),
                     [](const MetricSummary& a, const MetricSummary& b) { return a.last_seq > b.last_seq; });
  }
  if (resized) {
    size_ = terminal_size(STDOUT_FILENO);
    shown_cols_ = std::max(size_.cols, 1);
  }
  const std::size_t cols = static_cast<std::size_t>(std::max(size_.cols, 2));
  std::vector<StyledLine> panel = build_panel(input, cols - 1);
  // A panel taller than the screen would scroll its own top away: keep the top rows.
  panel.resize(std::min(panel.size(), static_cast<std::size_t>(std::max(size_.rows - 1, 1))));

  std::string frame;
  begin_panel_frame(frame, !cursor_hidden_, resized, panel_rows_);
  cursor_hidden_ = true;
  for (Entry& entry : entries) remember(entry);
  if (std::any_of(entries.begin(), entries.end(), [](const Entry& e) { return e.kind == Kind::alert; })) frame += '\a';
  if (resized) {
    // The screen was cleared: repaint it from what we remember.
    append_history(frame, static_cast<std::size_t>(std::max(size_.rows, 1)) - panel.size());
  } else {
    for (const Entry& entry : entries) {
      append_entry(frame, entry);
      frame += '\n';
    }
  }
  panel_rows_ = end_panel_frame(frame, panel, cols - 1, options_.color);
  return frame;
}

void TtyDisplay::append_entry(std::string& out, const Entry& entry) const {
  const std::string_view sgr = entry.kind == Kind::notice  ? style::yellow
                               : entry.kind == Kind::alert ? style::alert
                                                           : style::of_level(entry.level);
  // A line with colours of its own shows them instead of its level's; either way the
  // colours end with it.
  const bool own_colors = entry.text.find('\x1b') != std::string::npos;
  const bool styled = options_.color && (own_colors || !sgr.empty());
  if (styled && !own_colors) out += sgr;
  out += entry.text;
  if (styled) out += style::reset;
}

// The newest remembered lines that fit in `rows` screen rows, oldest first.
void TtyDisplay::append_history(std::string& out, std::size_t rows) const {
  const std::size_t cols = static_cast<std::size_t>(std::max(size_.cols, 1));
  std::size_t used = 0;
  std::size_t first = history_.size();
  while (first > 0 && used + rows_taken(history_[first - 1].text, cols) <= rows) used += rows_taken(history_[--first].text, cols);
  for (std::size_t i = first; i < history_.size(); ++i) {
    append_entry(out, history_[i]);
    out += '\n';
  }
}

void TtyDisplay::remember(Entry entry) {
  history_bytes_ += entry.text.size();
  history_.push_back(std::move(entry));
  while (history_.size() > options_.history_lines || (history_bytes_ > max_history_bytes && history_.size() > 1)) {
    history_bytes_ -= history_.front().text.size();
    history_.pop_front();
  }
}

void TtyDisplay::abandon() {
  // Another thread may be blocked writing a frame: do not wait for the terminal either.
  if (cursor_hidden_) write_within(STDOUT_FILENO, std::string("\n") + std::string(show_cursor), std::chrono::milliseconds(200));
}

}  // namespace logstream::cli
