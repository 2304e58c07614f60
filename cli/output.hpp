// Output: the front end of `logstream run` (the TTY display, plain lines or JSON Lines). The run
// command drives one through the stream's life; the front end decides what reaches stdout.
#pragma once

#include <string>
#include <string_view>

#include <logstream/streamer.hpp>

#include "summary.hpp"

namespace logstream::cli {

class Output {
public:
  virtual ~Output() = default;
  /// Adds the sinks and callbacks this front end needs; called once, before start().
  virtual void attach(Streamer& streamer) = 0;
  /// The command started: begin drawing. Called once, on the main thread.
  virtual void begin() {}
  /// A message from logstream itself (a forwarded signal...). Thread-safe.
  virtual void notice(std::string_view text) = 0;
  /// The terminal changed size (SIGWINCH). Thread-safe.
  virtual void resize() {}
  /// Job control (Ctrl-Z): leave the terminal as the shell expects it before we stop, and
  /// draw again after we continue. Returns once the terminal is handed back. Thread-safe.
  virtual void suspend() {}
  virtual void resume() {}
  /// The run is over (or never started): draw the last state, restore the terminal.
  /// Called once, on the main thread, after every callback returned.
  virtual void end(const RunSummary& summary) = 0;
  /// The run is given up while another thread may be blocked writing (a stdout nobody reads):
  /// leave the terminal usable if that can be done without blocking. Thread-safe.
  virtual void abandon() {}
  /// Why stdout did not get everything this front end meant to write, when that is a failure
  /// (a full disk, an I/O error): empty when it got everything, or when its reader closed the
  /// pipe (reported, but the reader's choice, as `| head` makes). Thread-safe.
  virtual std::string failure() const { return {}; }
};

}  // namespace logstream::cli
