// PidWatch: waits, with a deadline, for a process that is not our child to end (a pidfd).
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

namespace logstream::test {

/// Open it while the process surely lives (no pid reuse can fool it then). The destructor
/// kills the process if it still runs, so a failed test leaves nothing behind.
class PidWatch {
public:
  explicit PidWatch(int pid) : fd_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {}
  ~PidWatch() {
    if (fd_ < 0) return;
    if (!ended(std::chrono::milliseconds(0))) ::syscall(SYS_pidfd_send_signal, fd_, SIGKILL, nullptr, 0);
    ::close(fd_);
  }
  PidWatch(const PidWatch&) = delete;
  PidWatch& operator=(const PidWatch&) = delete;

  bool valid() const { return fd_ >= 0; }
  /// True once the process has ended (a zombie counts as ended), waiting at most `timeout`.
  bool ended(std::chrono::milliseconds timeout) const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
  }

private:
  int fd_;
};

}  // namespace logstream::test
