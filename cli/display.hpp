// TtyDisplay: the live terminal view of `logstream run`. Log lines scroll; below them a status
// panel (panel.hpp) stays in place. A redraw thread draws at most 10 frames a second, each frame
// one write(): back over the old panel, clear below, the new lines, the new panel.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <logstream/filter.hpp>

#include "frame.hpp"
#include "output.hpp"
#include "rate_meter.hpp"
#include "terminal.hpp"

namespace logstream::cli {

struct TtyDisplayOptions {
  bool show_lines = true;     ///< false (--quiet): the panel only
  bool color = true;
  std::string title;          ///< shown until the log names a model
  std::size_t history_lines = 500;  ///< lines kept to repaint the screen after a resize
  std::chrono::milliseconds frame_interval{100};
  LineFilter filter;          ///< the lines shown (the panel's progress and metrics are whole)
};

class TtyDisplay : public Output {
public:
  explicit TtyDisplay(TtyDisplayOptions options);
  /// Shows the cursor again if end() was never reached.
  ~TtyDisplay() override;

  void attach(Streamer& streamer) override;
  void begin() override;
  void notice(std::string_view text) override;
  void alert(std::string_view text);
  void resize() override;
  void suspend() override;
  void resume() override;
  void end(const RunSummary& summary) override;
  void abandon() override;

private:
  enum class Kind : std::uint8_t { out, err, notice, alert };
  struct Entry {
    std::string text;  // terminal-safe
    Kind kind = Kind::out;
    Level level = Level::none;  // its colour: errors red, warnings yellow, debug dim
  };
  class LineSink;

  void take_batch(const LineBatch& batch);  // the sink's actor thread
  void run();                               // the redraw thread
  std::string render(bool finished);        // the redraw thread, or main after it ended
  void append_entry(std::string& out, const Entry& entry) const;
  void append_history(std::string& out, std::size_t rows) const;
  void remember(Entry entry);
  void stop_thread();
  void park();  // the redraw thread: erase the panel, then wait for resume() or the end

  TtyDisplayOptions options_;
  bool separate_groups_;
  Streamer* streamer_ = nullptr;
  std::chrono::steady_clock::time_point started_{};

  // Shared with the sink and signal threads.
  std::mutex mutex_;
  std::condition_variable wake_;
  PendingLines<Entry> pending_;  // its drops: lines discarded while the terminal lagged
  std::uint64_t lines_ = 0;  // the stream's, shown or not: the last seq seen
  std::uint64_t last_shown_seq_ = 0;  // for the `--` between groups of context
  TrainingProgress progress_;  // after the last batch the sink got
  std::string transient_;       // the latest CR state
  Source transient_source_ = Source::out;
  bool changed_ = false;
  bool resized_ = false;
  bool stopping_ = false;
  bool suspend_requested_ = false;
  bool suspended_ = false;
  std::condition_variable parked_;  // the redraw thread has handed the terminal back

  // The redraw thread's own (main's after the thread ended).
  TerminalSize size_{};
  std::size_t panel_rows_ = 0;  // rows of the panel on screen; the cursor is on its last one
  std::deque<Entry> history_;
  std::size_t history_bytes_ = 0;
  RateMeter rate_;
  double rate_value_ = 0;
  std::chrono::steady_clock::time_point last_frame_{};
  std::atomic<bool> cursor_hidden_{false};  // also read by abandon(), on the signal thread
  std::atomic<int> shown_cols_{80};  // the width lines are cut for; read by the sink's thread
  std::thread thread_;
};

}  // namespace logstream::cli
