// ChildGuard: a recorded run's command is not left running unattended when logstream itself is
// killed (SIGKILL, the OOM killer). A small process forked before any thread holds the read end
// of a pipe; when logstream dies without saying the run is over, the pipe's end wakes it and it
// stops the command's process group (SIGTERM, then SIGKILL after the stop timeout).
#pragma once

#include <sys/types.h>

#include <chrono>

namespace logstream::cli {

class ChildGuard {
public:
  /// Forks the guard. Call before any thread exists and before the run's store files are
  /// opened (the guard keeps none of them). A guard that cannot be forked is none (the run
  /// still runs, unguarded).
  explicit ChildGuard(std::chrono::milliseconds stop_grace);
  /// Says the run is over (the guard exits quietly), if over() was not called.
  ~ChildGuard();
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;

  /// A command runs as `pid` (the leader of its process group): a group to stop. Called once
  /// per command (`up` guards all of its commands with one guard).
  void watch(pid_t pid);
  /// The runs ended as they should: the guard has nothing to do.
  void over();

private:
  int fd_ = -1;
};

}  // namespace logstream::cli
