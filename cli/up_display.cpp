// UpDisplay (see up_display.hpp).
#include "up_display.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "format.hpp"
#include "frame.hpp"
#include "messages.hpp"
#include "panel.hpp"
#include "styled_line.hpp"
#include "terminal_safe.hpp"
#include "text.hpp"

namespace logstream::cli {
namespace {

// A line is shown cut to this many bytes (the log file has it whole).
constexpr std::size_t max_shown_bytes = 4096;
// The processes' colours, in Procfile order (as foreman and docker compose cycle theirs).
constexpr std::string_view name_styles[] = {"\x1b[36m", "\x1b[33m", "\x1b[32m", "\x1b[35m", "\x1b[34m",
                                            "\x1b[1;36m", "\x1b[1;33m", "\x1b[1;32m", "\x1b[1;35m", "\x1b[1;34m"};

std::string shown_text(std::string_view text) {
  std::string safe = terminal_safe(text.substr(0, max_shown_bytes));
  if (text.size() > max_shown_bytes) safe += fmt::format(" [... {} bytes in all, whole in the log file]", text.size());
  return safe;
}

}  // namespace

// A lossless sink in plain mode (stdout is the user's record, as `run`'s PlainDisplay), a
// queueing one on a terminal (the panel thread draws).
class UpDisplay::LineSink : public Sink {
public:
  LineSink(UpDisplay& owner, std::size_t index, std::string name) : owner_(owner), index_(index), name_(std::move(name)) {}
  void write(const LineBatch& batch) override {
    if (owner_.options_.terminal) owner_.take_batch(index_, batch);
    else owner_.write_plain(index_, batch);
  }
  std::string name() const override { return "display:" + name_; }

private:
  UpDisplay& owner_;
  std::size_t index_;
  std::string name_;
};

UpDisplay::UpDisplay(std::vector<std::string> names, UpDisplayOptions options) : options_(options) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    Process p;
    p.name = terminal_safe_line(names[i], 64);
    p.style = name_styles[i % std::size(name_styles)];
    name_columns_ = std::max(name_columns_, columns(p.name));
    processes_.push_back(std::move(p));
  }
}

UpDisplay::~UpDisplay() {
  panel_thread_.stop();
  if (cursor_hidden_) write_all(STDOUT_FILENO, std::string("\n") + std::string(show_cursor));
}

void UpDisplay::attach(std::size_t index, Streamer& streamer) {
  const std::string& name = processes_.at(index).name;
  streamer.add_sink(filtered(std::make_shared<LineSink>(*this, index, name), options_.filter));
  streamer.on_event += [this, name](const StreamEvent& e) {
    if (std::string text = event_notice(e); !text.empty()) notice(name + ": " + text);
  };
}

void UpDisplay::set_state(std::size_t index, std::string state, bool failed) {
  std::lock_guard lock(mutex_);
  processes_.at(index).state = std::move(state);
  processes_.at(index).failed = failed;
  changed_ = true;
}

void UpDisplay::write_plain(std::size_t index, const LineBatch& batch) {
  std::string out;
  int error = 0;
  {
    std::lock_guard lock(mutex_);
    Process& p = processes_[index];
    p.lines = std::max(p.lines, batch.last_seq());  // the filter skips seqs, not the count
    if (!batch.progress_changes().empty()) p.progress = batch.progress_changes().back().progress;
    if (!options_.show_lines) return;
    const std::string prefix = fmt::format("{:<{}} | ", p.name, name_columns_);
    for (const Line& line : batch) {
      if (line.transient) continue;
      out += prefix;
      if (line.is_stderr()) out += "[stderr] ";
      append_terminal_safe(out, line.text);
      out += '\n';
    }
    // One write per batch, under the lock: the processes' lines never interleave mid-line.
    if (write_all(STDOUT_FILENO, out)) return;
    error = errno;
    write_error_ = error;
  }
  throw_stdout_error(error, "the log files still get them");
}

void UpDisplay::take_batch(std::size_t index, const LineBatch& batch) {
  std::lock_guard lock(mutex_);
  Process& p = processes_[index];
  p.lines = std::max(p.lines, batch.last_seq());  // the filter skips seqs, not the count
  if (!batch.progress_changes().empty()) p.progress = batch.progress_changes().back().progress;
  changed_ = true;
  if (!options_.show_lines) return;
  for (const Line& line : batch)
    if (!line.transient) pending_.push(Entry{.process = index, .text = shown_text(line.text), .is_stderr = line.is_stderr(), .level = line.level});
}

void UpDisplay::notice(std::string_view text) {
  if (!options_.terminal) {
    write_all(STDERR_FILENO, "logstream: " + terminal_safe_line(text, 1000) + "\n");
    return;
  }
  std::lock_guard lock(mutex_);
  pending_.push(Entry{.text = "logstream: " + terminal_safe_line(text, 1000), .notice = true});
  changed_ = true;
}

void UpDisplay::resize() {
  std::lock_guard lock(mutex_);
  resized_ = true;
}

void UpDisplay::begin() {
  if (!options_.terminal) return;
  size_ = terminal_size(STDOUT_FILENO);
  // Lines and state changes wait for the next frame; only the end cuts it short.
  panel_thread_.start(options_.frame_interval, [this] {
    const std::string frame = render(false);
    if (!frame.empty()) write_all(STDOUT_FILENO, frame);
  });
}

void UpDisplay::end() {
  panel_thread_.stop();
  if (!options_.terminal) return;
  std::string frame = render(true);
  frame += '\n';
  frame += show_cursor;
  write_all(STDOUT_FILENO, frame);
  cursor_hidden_ = false;
  panel_rows_ = 0;
}

std::string UpDisplay::failure() const {
  std::lock_guard lock(mutex_);
  return stdout_failure(write_error_);
}

std::string UpDisplay::render(bool finished) {
  const auto now = std::chrono::steady_clock::now();
  std::deque<Entry> entries;
  std::vector<ProcessRowInput> rows;
  bool changed = false;
  bool resized = false;
  std::uint64_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    entries = pending_.take();
    dropped = pending_.take_dropped();
    std::swap(changed, changed_);
    std::swap(resized, resized_);
    const bool second_passed = now - last_frame_ >= std::chrono::seconds(1);
    if (!finished && !changed && !resized && !second_passed && cursor_hidden_) return {};
    for (Process& p : processes_)
      rows.push_back(ProcessRowInput{.name = p.name,
                                     .name_columns = name_columns_,
                                     .name_style = p.style,
                                     .state = p.state,
                                     .state_style = p.failed ? style::red : style::none,
                                     .progress = p.progress,
                                     .lines_per_second = p.rate.sample(p.lines, now),
                                     .lines = p.lines});
  }
  last_frame_ = now;
  if (dropped > 0)
    entries.push_front(Entry{.text = fmt::format("logstream: {} lines not shown here (the terminal fell behind; they are in the log files)", dropped),
                             .notice = true});
  if (resized) size_ = terminal_size(STDOUT_FILENO);
  const std::size_t cols = static_cast<std::size_t>(std::max(size_.cols, 2));
  // A panel taller than the screen would scroll its own top away: keep the first rows.
  rows.resize(std::min(rows.size(), static_cast<std::size_t>(std::max(size_.rows - 1, 1))));

  std::vector<StyledLine> panel;
  panel.reserve(rows.size());
  for (const ProcessRowInput& row : rows) panel.push_back(build_process_row(row, cols - 1));

  std::string frame;
  begin_panel_frame(frame, !cursor_hidden_, resized, panel_rows_);
  cursor_hidden_ = true;
  for (const Entry& entry : entries) {
    append_entry(frame, entry);
    frame += '\n';
  }
  panel_rows_ = end_panel_frame(frame, panel, cols - 1, options_.color);
  return frame;
}

void UpDisplay::append_entry(std::string& out, const Entry& entry) const {
  if (entry.notice) {
    if (options_.color) out += style::yellow;
    out += entry.text;
    if (options_.color) out += style::reset;
    return;
  }
  const Process& p = processes_[entry.process];  // name and style never change
  const std::string prefix = fmt::format("{:<{}} | ", p.name, name_columns_);
  if (options_.color) {
    out += p.style;
    out += prefix;
    out += style::reset;
  } else {
    out += prefix;
  }
  // By level, not by pipe (Python's logging writes every record to stderr).
  const std::string_view sgr = style::of_level(entry.level);
  const bool styled = options_.color && !sgr.empty();
  if (styled) out += sgr;
  out += entry.text;
  if (styled) out += style::reset;
}

}  // namespace logstream::cli
