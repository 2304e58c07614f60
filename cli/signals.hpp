// SignalForwarder: logstream's own signals, handled on one thread through a signalfd. The child
// runs in its own session, so the terminal's Ctrl-C reaches only us: we pass it on to the
// child's process group (a second Ctrl-C within 3 s kills the group), forward SIGTERM/SIGHUP as
// a staged stop, SIGQUIT as is, and report SIGWINCH to the display. Ctrl-Z (SIGTSTP) suspends
// the command's group and then logstream itself; SIGCONT (fg, bg) continues both. Once the
// command has ended, a stop signal that is not the first gives up waiting for output that cannot
// be written (a stdout nobody reads).
#pragma once

#include <signal.h>

#include <chrono>
#include <functional>
#include <functional>
#include <optional>
#include <thread>

#include <logstream/streamer.hpp>

#include "output.hpp"

namespace logstream::cli {

/// Blocks the signals SignalForwarder handles in the calling thread, and ignores SIGPIPE and
/// SIGXFSZ. Call on the main thread before any other thread exists: threads inherit the mask,
/// so the signals then wait in the signalfd instead of interrupting a random thread.
void block_handled_signals();

/// While it lives, SIGINT, SIGTERM, SIGHUP and SIGQUIT take their default action on the calling
/// thread (they end logstream): for the phases where there is no child to pass them to and
/// nothing to save (reading the rules, opening the log, replay). Create no thread meanwhile.
class InterruptibleScope {
public:
  InterruptibleScope();
  ~InterruptibleScope();
  InterruptibleScope(const InterruptibleScope&) = delete;
  InterruptibleScope& operator=(const InterruptibleScope&) = delete;

private:
  sigset_t previous_{};
};

/// A thread that takes the signals block_handled_signals() blocked from a signalfd and hands each
/// to `handle`, one at a time, until it is destroyed. Declare it last among its owner's members:
/// it is then started after them and stopped before them.
class SignalThread {
public:
  /// Starts the thread; throws std::system_error when the signalfd or eventfd cannot be had.
  explicit SignalThread(std::function<void(int)> handle);
  /// Stops and joins the thread (a handler that is running finishes first).
  ~SignalThread();
  SignalThread(const SignalThread&) = delete;
  SignalThread& operator=(const SignalThread&) = delete;

private:
  void run();

  std::function<void(int)> handle_;
  int signal_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd: written once to end run()
  std::thread thread_;
};

class SignalForwarder {
public:
  /// Called on the signal thread on a stop signal that is not the first: unless the run ends
  /// on its own within a moment or the command still runs, it reports what it can without
  /// blocking and ends the process.
  using GiveUp = std::function<void()>;

  /// Starts the thread. `streamer` and `output` must outlive this object.
  SignalForwarder(Streamer& streamer, Output& output, std::chrono::milliseconds stop_grace, GiveUp give_up);
  /// Stops and joins the thread.
  ~SignalForwarder();
  SignalForwarder(const SignalForwarder&) = delete;
  SignalForwarder& operator=(const SignalForwarder&) = delete;

private:
  void handle(int signo);
  void stop_signal(int signo);
  void interrupt(int pid);
  void suspend(bool child_running);

  Streamer& streamer_;
  Output& output_;
  std::chrono::milliseconds stop_grace_;
  GiveUp give_up_;
  int stop_signals_ = 0;  // SIGINT, SIGTERM and SIGHUP received so far
  std::optional<std::chrono::steady_clock::time_point> last_interrupt_;
  SignalThread thread_;
};

/// Whether logstream's process group is orphaned (POSIX: no member has a parent in another group
/// of the same session). The kernel then discards SIGTSTP instead of stopping us, so a Ctrl-Z
/// must not stop the command either: nothing would ever continue it.
bool process_group_orphaned() noexcept;

}  // namespace logstream::cli
