// SignalForwarder (see signals.hpp).
#include "signals.hpp"

#include <poll.h>
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
constexpr std::array stop_signals{SIGINT, SIGTERM, SIGHUP, SIGQUIT};
constexpr auto kill_window = std::chrono::seconds(3);

sigset_t handled_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int signo : handled_signals) sigaddset(&set, signo);
  return set;
}

// Stops the whole process the way the shell expects of a job (so it reports "Stopped"), and
// returns once it is continued. SIGTSTP is blocked everywhere and was taken from the signalfd:
// raise it again with its default action and let it through on this thread only. Returns
// whether the process was really stopped: the kernel discards the signal instead when our
// process group is orphaned, and then no SIGCONT is pending afterwards.
bool stop_self() {
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
  sigset_t pending;
  sigemptyset(&pending);
  ::sigpending(&pending);
  return sigismember(&pending, SIGCONT) == 1;  // blocked, so it waits in the signalfd for us
}

const char* signal_label(int signo) {
  switch (signo) {
    case SIGINT: return "interrupt";
    case SIGTERM: return "SIGTERM";
    default: return "SIGHUP";
  }
}

}  // namespace

void block_handled_signals() {
  const sigset_t set = handled_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A vanished reader of our stdout must end in EPIPE, handled where we write, not kill us
  // before the log file is flushed. Likewise a log file reaching RLIMIT_FSIZE must end in
  // EFBIG, which the log sink reports, not in a core dump that orphans the command.
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGXFSZ, SIG_IGN);
}

InterruptibleScope::InterruptibleScope() {
  sigset_t set;
  sigemptyset(&set);
  for (int signo : stop_signals) sigaddset(&set, signo);
  pthread_sigmask(SIG_UNBLOCK, &set, &previous_);
}

InterruptibleScope::~InterruptibleScope() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

bool process_group_orphaned() noexcept {
  // Our own parent is what keeps the group of a shell's job from being orphaned; a group of
  // several processes (a pipeline) has members with the same parent, so checking it suffices.
  const pid_t parent = ::getppid();
  const pid_t parent_group = ::getpgid(parent);
  const pid_t parent_session = ::getsid(parent);
  if (parent_group < 0 || parent_session < 0) return true;  // gone, or not ours to see
  return parent_group == ::getpgrp() || parent_session != ::getsid(0);
}

SignalThread::SignalThread(std::function<void(int)> handle) : handle_(std::move(handle)) {
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

SignalThread::~SignalThread() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(signal_fd_);
  ::close(wake_fd_);
}

void SignalThread::run() {
  std::array<pollfd, 2> fds{pollfd{signal_fd_, POLLIN, 0}, pollfd{wake_fd_, POLLIN, 0}};
  for (;;) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    signalfd_siginfo info{};
    if (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) handle_(static_cast<int>(info.ssi_signo));
  }
}

SignalForwarder::SignalForwarder(Streamer& streamer, Output& output, std::chrono::milliseconds stop_grace, GiveUp give_up)
    : streamer_(streamer), output_(output), stop_grace_(stop_grace), give_up_(std::move(give_up)),
      thread_([this](int signo) { handle(signo); }) {}

SignalForwarder::~SignalForwarder() = default;

void SignalForwarder::handle(int signo) {
  if (signo == SIGWINCH) {
    output_.resize();
    return;
  }
  const auto pid = streamer_.pid();
  const bool child_running = pid && streamer_.is_process_running();
  if (signo == SIGTSTP) {
    suspend(child_running);
    return;
  }
  if (signo == SIGCONT) {
    if (child_running) ::kill(-*pid, SIGCONT);
    output_.resume();
    return;
  }
  if (signo == SIGQUIT) {
    if (!child_running) return;
    ::kill(-*pid, SIGQUIT);
    output_.notice("sent SIGQUIT to the command");
    return;
  }
  stop_signal(signo);
}

void SignalForwarder::stop_signal(int signo) {
  ++stop_signals_;
  const auto pid = streamer_.pid();
  const bool child_running = pid && streamer_.is_process_running();
  if (child_running && signo == SIGINT) {
    interrupt(*pid);
  } else if (child_running && stop_signals_ == 1) {
    streamer_.request_stop();  // SIGTERM to the group, SIGKILL after the grace period
    output_.notice(fmt::format("{} received: sent SIGTERM to the command (SIGKILL in {:.3g} s if it still runs)",
                               signal_label(signo), static_cast<double>(stop_grace_.count()) / 1000));
  } else if (child_running) {
    ::kill(-*pid, SIGKILL);
    output_.notice(fmt::format("second {}: killed the command's process group (SIGKILL)", signal_label(signo)));
  }
  // Once the command has ended, what is left is writing its output, which only a reader that
  // does not read can hold up. The first signal may be meant for the command and come a moment
  // late: only a further one gives up, and give_up_ returns if the run ends on its own
  // meanwhile (a quick double Ctrl-C must not cut a run that was about to finish) or if the
  // command still runs (it is being stopped).
  if (stop_signals_ >= 2) {
    give_up_();
  } else if (!child_running) {
    output_.notice(fmt::format("{} received: the command has ended; waiting for its output to be written "
                               "(send it again to give up)", signal_label(signo)));
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

void SignalForwarder::suspend(bool child_running) {
  // Where logstream cannot stop (its group is orphaned: under setsid, a parent that exited),
  // stopping the command would leave it stopped with nobody to continue it.
  if (process_group_orphaned()) {
    output_.notice("Ctrl-Z ignored: logstream cannot be stopped here (its process group is orphaned)");
    return;
  }
  // The command runs in its own session, out of the terminal's reach: suspend it with us.
  // SIGSTOP, because the kernel discards SIGTSTP sent to an orphaned process group (POSIX),
  // which a group alone in its session is.
  const auto pid = streamer_.pid();
  if (child_running) ::kill(-*pid, SIGSTOP);
  output_.suspend();
  if (stop_self()) return;  // the pending SIGCONT continues the command and the display
  if (child_running) ::kill(-*pid, SIGCONT);
  output_.resume();
  output_.notice("Ctrl-Z ignored: logstream could not stop itself");
}

}  // namespace logstream::cli
