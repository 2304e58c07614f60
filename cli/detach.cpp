// `logstream run -d` (see detach.hpp).
#include "detach.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

#include "exit_status.hpp"
#include "io/read_all.hpp"
#include "io/write_all.hpp"
#include "messages.hpp"

namespace logstream::cli {
namespace {

void to_dev_null(int fd, int flags) {
  const int null_fd = ::open("/dev/null", flags | O_CLOEXEC);
  if (null_fd < 0) return;
  ::dup2(null_fd, fd);  // dup2 clears close-on-exec on fd
  ::close(null_fd);
}

void close_other_fds(int keep) {
  if (keep > 3) ::close_range(3, static_cast<unsigned>(keep - 1), 0);
  ::close_range(static_cast<unsigned>(keep + 1), ~0U, 0);
}

void send(int& fd, const std::string& text) {
  if (fd < 0) return;
  io::write_all(fd, text);
  ::close(fd);
  fd = -1;
}

}  // namespace

StartReport::~StartReport() {
  if (fd_ >= 0) ::close(fd_);
}

void StartReport::started(const std::string& run_id) {
  send(fd_, "started " + run_id + "\n");
  to_dev_null(STDOUT_FILENO, O_WRONLY);
  to_dev_null(STDERR_FILENO, O_WRONLY);
}

void StartReport::failed(int status) { send(fd_, fmt::format("failed {}\n", status)); }

int detach_run(const RunOptions& options, int (*run)(const RunOptions&, StartReport*)) {
  int report[2] = {-1, -1};
  if (::pipe2(report, O_CLOEXEC) != 0) {
    say(fmt::format("cannot detach: {}", std::generic_category().message(errno)));
    return internal_failure_status;
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    say(fmt::format("cannot detach: {}", std::generic_category().message(errno)));
    return internal_failure_status;
  }
  if (pid == 0) {
    ::close(report[0]);
    // Nothing of the starter's stays open but 0-2 and the report (a `$(...)` capture, the
    // terminal): else whoever waits for those to close would wait for the whole run.
    close_other_fds(report[1]);
    // A session of its own: the terminal's hangup and its Ctrl-C no longer reach the run.
    ::setsid();
    to_dev_null(STDIN_FILENO, O_RDONLY);
    to_dev_null(STDOUT_FILENO, O_WRONLY);  // stderr stays the starter's until the report
    RunOptions background = options;
    background.detach = false;
    background.mode = OutputMode::plain;
    background.quiet = true;
    StartReport start_report(report[1]);
    const int status = run(background, &start_report);
    if (!start_report.sent()) start_report.failed(status);
    std::_Exit(status);
  }
  ::close(report[1]);
  const std::string reply = io::read_all(report[0]).bytes;
  ::close(report[0]);
  if (reply.rfind("started ", 0) == 0) {
    io::write_all(STDOUT_FILENO, reply.substr(8));  // the id and its newline
    return 0;
  }
  int status = 0;
  if (reply.rfind("failed ", 0) == 0) return std::atoi(reply.c_str() + 7);
  // No word at all: the background side died before it could say.
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  say("the background run ended before its command started");
  return internal_failure_status;
}

}  // namespace logstream::cli
