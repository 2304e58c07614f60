// ChildProcess: spawns the command in its own process group, with pipes or a PTY for output.
#pragma once

#include <functional>
#include <optional>

#include <uv.h>

#include <logstream/process.hpp>

#include "loop/loop_handle.hpp"

namespace logstream {

/// Loop thread only. The process handle is closed in the exit callback (never before: that
/// would leave a zombie), which may come after the ChildProcess is gone; it counts in `count`
/// (when given) until its close callback ran.
class ChildProcess {
public:
  /// Spawns. Throws StartError naming the command and the OS error; nothing is left running
  /// and no fd is left open then.
  ChildProcess(uv_loop_t* loop, const ProcessSpec& spec, std::function<void(ExitStatus)> on_exit, HandleCount* count);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int pid() const noexcept { return pid_; }
  /// Read ends for the stream (the parent's copies of the write ends are closed).
  int stdout_fd() const noexcept { return stdout_fd_; }
  int stderr_fd() const noexcept { return stderr_fd_; }  ///< -1 when merged or on a PTY
  /// Sends `signal` to the child's whole process group (ESRCH once all are gone is fine).
  void signal_group(int signal) const noexcept;
  /// Whether anything of the child's process group still runs (the child or what it spawned;
  /// a zombie does not count).
  bool group_alive() const;

private:
  struct State {
    std::function<void(ExitStatus)> on_exit;
    ChildProcess* owner = nullptr;  // null once the ChildProcess is gone
  };
  using Handle = LoopHandle<uv_process_t, State>;
  static void on_exit(uv_process_t* process, std::int64_t status, int term_signal);

  Handle handle_;  // open until the exit
  int pid_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
};

}  // namespace logstream
