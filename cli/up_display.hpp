// UpDisplay: the view of `logstream up`. Every process's lines merged in arrival order, each after
// an aligned, coloured "name | " prefix; on a terminal, below them, a panel with one row per
// process (panel.hpp's build_process_row) redrawn at most 10 times a second by a thread of its
// own, as TtyDisplay draws `run`. Without a terminal (a pipe, TERM=dumb, --plain) the lines go to
// stdout as they come, no escape sequence, and logstream's notices to stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <logstream/filter.hpp>
#include <logstream/streamer.hpp>

#include "frame.hpp"
#include "paced_thread.hpp"
#include "rate_meter.hpp"
#include "terminal.hpp"

namespace logstream::cli {

struct UpDisplayOptions {
  bool terminal = true;  ///< false: plain prefixed lines, no panel
  bool color = true;
  bool show_lines = true;  ///< false (--quiet): the panel only
  LineFilter filter;       ///< the lines shown (every process's; the rows are whole)
  std::chrono::milliseconds frame_interval{100};
};

class UpDisplay {
public:
  /// One process per name, in the Procfile's order.
  UpDisplay(std::vector<std::string> names, UpDisplayOptions options);
  ~UpDisplay();
  UpDisplay(const UpDisplay&) = delete;
  UpDisplay& operator=(const UpDisplay&) = delete;

  /// Adds the sink that brings process `index`'s lines and progress; before its start().
  void attach(std::size_t index, Streamer& streamer);
  /// The process's state as its row shows it ("running", "exited 0"...). Thread-safe.
  void set_state(std::size_t index, std::string state, bool failed);
  /// Starts drawing (the panel's thread on a terminal). Main thread, once.
  void begin();
  /// A message of logstream's own ("web exited 1: stopping the others"). Thread-safe.
  void notice(std::string_view text);
  /// SIGWINCH. Thread-safe.
  void resize();
  /// Every stream ended: the last frame, the cursor back. Main thread, once, after every
  /// stream's completion.
  void end();
  /// Why stdout did not get every line, when it is a failure (as Output::failure()).
  std::string failure() const;

private:
  struct Process {
    std::string name;  // terminal-safe
    std::string_view style;
    std::string state = "starting";
    bool failed = false;
    std::uint64_t lines = 0;
    TrainingProgress progress;
    RateMeter rate;
  };
  struct Entry {
    std::size_t process = 0;
    std::string text;  // terminal-safe, without the prefix
    bool is_stderr = false;
    Level level = Level::none;
    bool notice = false;
  };
  class LineSink;

  void take_batch(std::size_t index, const LineBatch& batch);  // a sink's actor thread
  void write_plain(std::size_t index, const LineBatch& batch);   // a sink's actor thread
  std::string render(bool finished);
  void append_entry(std::string& out, const Entry& entry) const;

  UpDisplayOptions options_;
  std::size_t name_columns_ = 0;

  mutable std::mutex mutex_;
  std::vector<Process> processes_;
  PendingLines<Entry> pending_;  // its drops: lines not shown because the terminal fell behind
  bool changed_ = false;
  bool resized_ = false;
  int write_error_ = 0;  // errno of a failed stdout write (plain mode)

  // The panel thread's own (main's after it ended).
  TerminalSize size_{};
  std::size_t panel_rows_ = 0;
  bool cursor_hidden_ = false;
  std::chrono::steady_clock::time_point last_frame_{};
  PacedThread panel_thread_;  // last: stopped first
};

}  // namespace logstream::cli
