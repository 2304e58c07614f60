// SignalForwarder (see signals.hpp).
#include "signals.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>

#include <fmt/format.h>

namespace logstream::cli {
namespace {

constexpr std::array handled_signals{SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT};
constexpr auto kill_window = std::chrono::seconds(3);

sigset_t handled_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int signo : handled_signals) sigaddset(&set, signo);
  return set;
}

// Stops the whole process the way the shell expects of a job (so it reports "Stopped"), and
// returns once it is continued. SIGTSTP is blocked everywhere and was taken from the signalfd:
// raise it again with its default action and let it through on this thread only.
void stop_self() {
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  struct sigaction previous {};
  ::sigaction(SIGTSTP, &default_action, &previous);
  sigset_t tstp;
  sigemptyset(&tstp);
  sigaddset(&tstp, SIGTSTP);
  ::kill(::getpid(), SIGTSTP);
  pthread_sigmask(SIG_UNBLOCK, &tstp, nullptr);  // delivered here: the process stops
  pthread_sigmask(SIG_BLOCK, &tstp, nullptr);    // continued
  ::sigaction(SIGTSTP, &previous, nullptr);
}

}  // namespace

void block_handled_signals() {
  const sigset_t set = handled_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A vanished reader of our stdout must end in EPIPE, handled where we write, not kill us
  // before the log file is flushed.
  ::signal(SIGPIPE, SIG_IGN);
}

SignalForwarder::SignalForwarder(Streamer& streamer, Output& output, std::chrono::milliseconds stop_grace)
    : streamer_(streamer), output_(output), stop_grace_(stop_grace) {
  const sigset_t set = handled_set();
  signal_fd_ = ::signalfd(-1, &set, SFD_CLOEXEC);
  if (signal_fd_ < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    ::close(signal_fd_);
    throw std::system_error(errno, std::generic_category(), "eventfd");
  }
  thread_ = std::thread([this] { run(); });
}

SignalForwarder::~SignalForwarder() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(signal_fd_);
  ::close(wake_fd_);
}

void SignalForwarder::run() {
  std::array<pollfd, 2> fds{pollfd{signal_fd_, POLLIN, 0}, pollfd{wake_fd_, POLLIN, 0}};
  for (;;) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    signalfd_siginfo info{};
    if (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) handle(static_cast<int>(info.ssi_signo));
  }
}

void SignalForwarder::handle(int signo) {
  if (signo == SIGWINCH) {
    output_.resize();
    return;
  }
  const auto pid = streamer_.pid();
  const bool child_running = pid && !streamer_.is_complete();
  if (signo == SIGTSTP) {
    // The command runs in its own session, out of the terminal's reach: suspend it with us.
    // SIGSTOP, because the kernel discards SIGTSTP sent to an orphaned process group (POSIX),
    // which a group alone in its session is.
    if (child_running) ::kill(-*pid, SIGSTOP);
    output_.suspend();
    stop_self();
    return;
  }
  if (signo == SIGCONT) {
    if (child_running) ::kill(-*pid, SIGCONT);
    output_.resume();
    return;
  }
  if (!pid || streamer_.is_complete()) return;
  switch (signo) {
    case SIGINT:
      interrupt(*pid);
      break;
    case SIGTERM:
    case SIGHUP:
      streamer_.request_stop();  // SIGTERM to the group, SIGKILL after the grace period
      output_.notice(fmt::format("{} received: sent SIGTERM to the command (SIGKILL in {:.3g} s if it still runs)",
                                 signo == SIGTERM ? "SIGTERM" : "SIGHUP", static_cast<double>(stop_grace_.count()) / 1000));
      break;
    case SIGQUIT:
      ::kill(-*pid, SIGQUIT);
      output_.notice("sent SIGQUIT to the command");
      break;
    default:
      break;
  }
}

void SignalForwarder::interrupt(int pid) {
  const auto now = std::chrono::steady_clock::now();
  if (last_interrupt_ && now - *last_interrupt_ < kill_window) {
    ::kill(-pid, SIGKILL);
    output_.notice("second interrupt: killed the command's process group (SIGKILL)");
    return;
  }
  last_interrupt_ = now;
  ::kill(-pid, SIGINT);
  output_.notice("interrupt sent to the command; press Ctrl-C again within 3 s to kill it");
}

}  // namespace logstream::cli
