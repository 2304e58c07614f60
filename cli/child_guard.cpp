// The guard of a run's command (see child_guard.hpp).
#include "child_guard.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/read_all.hpp"
#include "io/write_all.hpp"

namespace logstream::cli {
namespace {

// Waits at most `timeout` for `pid` to end, on a pidfd (no polling loop).
bool wait_gone(pid_t pid, std::chrono::milliseconds timeout) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;
  pollfd p{fd, POLLIN, 0};
  const bool gone = ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  ::close(fd);
  return gone;
}

[[noreturn]] void guard(int fd, std::chrono::milliseconds stop_grace) {
  // Only its pipe matters to it: the terminal's signals are for logstream and the command.
  sigset_t all;
  ::sigfillset(&all);
  ::sigprocmask(SIG_BLOCK, &all, nullptr);
  const std::string said = io::read_all(fd).bytes;  // to the end: logstream exited
  // "PID\n" for each command that runs, "over\n" when the runs ended as they should.
  if (said.find("over\n") != std::string::npos) std::_Exit(0);
  std::vector<pid_t> groups;
  for (std::size_t at = 0; at < said.size();) {
    const std::size_t end = said.find('\n', at);
    if (end == std::string::npos) break;
    if (const pid_t pid = static_cast<pid_t>(std::atoi(said.c_str() + at)); pid > 0) groups.push_back(pid);
    at = end + 1;
  }
  for (pid_t pid : groups) ::kill(-pid, SIGTERM);
  // One grace period for all of them: each wait takes what is left of it.
  const auto deadline = std::chrono::steady_clock::now() + stop_grace;
  for (pid_t pid : groups) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (!wait_gone(pid, std::max(left, std::chrono::milliseconds(0)))) ::kill(-pid, SIGKILL);
  }
  std::_Exit(0);
}

}  // namespace

ChildGuard::ChildGuard(std::chrono::milliseconds stop_grace) {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) return;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return;
  }
  if (pid == 0) {
    // Nothing of logstream's but the pipe: not the terminal, not a `$(...)` capture, no lock.
    for (int std_fd = 0; std_fd <= 2; ++std_fd) {
      const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
      if (null_fd >= 0) {
        ::dup2(null_fd, std_fd);
        ::close(null_fd);
      }
    }
    if (fds[0] > 3) ::close_range(3, static_cast<unsigned>(fds[0] - 1), 0);
    ::close_range(static_cast<unsigned>(fds[0] + 1), ~0U, 0);
    // Its own group: a Ctrl-C or kill of logstream's group does not take the guard with it.
    ::setpgid(0, 0);
    guard(fds[0], stop_grace);
  }
  ::close(fds[0]);
  fd_ = fds[1];
}

ChildGuard::~ChildGuard() { over(); }

void ChildGuard::watch(pid_t pid) {
  if (fd_ >= 0) io::write_all(fd_, std::to_string(pid) + "\n");
}

void ChildGuard::over() {
  if (fd_ < 0) return;
  io::write_all(fd_, "over\n");
  ::close(fd_);
  fd_ = -1;
}

}  // namespace logstream::cli
