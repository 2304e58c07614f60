// SignalForwarder: logstream's own signals, handled on one thread through a signalfd. The child
// runs in its own session, so the terminal's Ctrl-C reaches only us: we pass it on to the
// child's process group (a second Ctrl-C within 3 s kills the group), forward SIGTERM/SIGHUP as
// a staged stop, SIGQUIT as is, and report SIGWINCH to the display. Ctrl-Z (SIGTSTP) suspends
// the command's group and then logstream itself; SIGCONT (fg, bg) continues both.
#pragma once

#include <chrono>
#include <optional>
#include <thread>

#include <logstream/streamer.hpp>

#include "output.hpp"

namespace logstream::cli {

/// Blocks the signals SignalForwarder handles in the calling thread, and ignores SIGPIPE. Call
/// on the main thread before any other thread exists: threads inherit the mask, so the signals
/// then wait in the signalfd instead of interrupting a random thread.
void block_handled_signals();

class SignalForwarder {
public:
  /// Starts the thread. `streamer` (started) and `output` must outlive this object.
  SignalForwarder(Streamer& streamer, Output& output, std::chrono::milliseconds stop_grace);
  /// Stops and joins the thread.
  ~SignalForwarder();
  SignalForwarder(const SignalForwarder&) = delete;
  SignalForwarder& operator=(const SignalForwarder&) = delete;

private:
  void run();
  void handle(int signo);
  void interrupt(int pid);

  Streamer& streamer_;
  Output& output_;
  std::chrono::milliseconds stop_grace_;
  int signal_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd: written once to end run()
  std::optional<std::chrono::steady_clock::time_point> last_interrupt_;
  std::thread thread_;
};

}  // namespace logstream::cli
