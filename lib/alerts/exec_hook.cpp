// Exec hooks (see exec_hook.hpp): posix_spawn, stdin over a socket, a pidfd for the timeout.
#include "alerts/exec_hook.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

extern char** environ;

namespace logstream::alerts {

namespace {

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

std::string describe_status(int status, std::string_view stderr_text) {
  std::string why = WIFSIGNALED(status) ? fmt::format("killed by signal {}", WTERMSIG(status))
                                        : fmt::format("exit status {}", WEXITSTATUS(status));
  while (!stderr_text.empty() && (stderr_text.back() == '\n' || stderr_text.back() == '\r')) stderr_text.remove_suffix(1);
  if (!stderr_text.empty()) why += fmt::format(": {}", stderr_text.substr(0, 300));
  return why;
}

std::string read_available(int fd) {
  std::string out;
  char buffer[4096];
  while (out.size() < 4096) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

std::optional<std::string> run_exec_hook(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                         std::string_view input, std::chrono::milliseconds timeout) {
  if (argv.empty() || argv[0].empty()) return "no command given";
  // A socket rather than a pipe for stdin: send() with MSG_NOSIGNAL never raises SIGPIPE in
  // this process when the hook exits without reading.
  int in[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) return fmt::format("socketpair: {}", std::strerror(errno));
  Fd in_ours(in[0]), in_theirs(in[1]);
  int err[2];
  if (::pipe2(err, O_CLOEXEC | O_NONBLOCK) != 0) return fmt::format("pipe: {}", std::strerror(errno));
  Fd err_ours(err[0]), err_theirs(err[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_theirs.fd, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_theirs.fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: a timeout kills what it started too
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    if (!entry.starts_with("LOGSTREAM_ALERT_")) env_strings.emplace_back(entry);
  }
  for (const std::string& e : env) env_strings.push_back(e);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawned != 0) return fmt::format("cannot run '{}': {}", argv[0], std::strerror(spawned));
  in_theirs.reset();
  err_theirs.reset();

  ::fcntl(in_ours.fd, F_SETFL, O_NONBLOCK);
  // What fits in the socket's buffer goes now: an alert is a few kilobytes, and a hook that
  // reads nothing must not hold this thread.
  std::size_t sent = 0;
  while (sent < input.size()) {
    const ssize_t n = ::send(in_ours.fd, input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  in_ours.reset();  // end of its stdin

  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  bool timed_out = false;
  if (pidfd.fd >= 0) {
    pollfd p{pidfd.fd, POLLIN, 0};
    int ready = 0;
    do ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    while (ready < 0 && errno == EINTR);
    timed_out = ready == 0;
  }
  // Without a pidfd (a kernel before 5.3) the wait below has no deadline.
  if (timed_out) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return fmt::format("'{}' did not exit within {} ms: killed", argv[0], timeout.count());
  }
  const std::string stderr_text = read_available(err_ours.fd);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::nullopt;
  return fmt::format("'{}': {}", argv[0], describe_status(status, stderr_text));
}

}  // namespace logstream::alerts
