// logstream started with some of stdin, stdout and stderr closed (cron, systemd, `cmd <&-`):
// it runs the command as usual, and the command's stdin is /dev/null, not a stray fd of ours.
#include <catch2/catch.hpp>

#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include <fmt/format.h>

#include "cli_support.hpp"

extern char** environ;

using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

struct Run {
  int status = -1;  // exit code, 128+N for signal N, -1 on timeout
  std::string out;
  std::string err;
};

// Spawns `logstream ARGS` with the fds in `closed` closed (the others: stdin /dev/null, stdout
// and stderr pipes), reads the pipes and waits for its exit, all within `timeout`.
Run run_with_closed(const std::set<int>& closed, const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = 30s) {
  int out[2], err[2];
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (closed.count(0)) posix_spawn_file_actions_addclose(&actions, 0);
  else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (closed.count(1)) posix_spawn_file_actions_addclose(&actions, 1);
  else posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  if (closed.count(2)) posix_spawn_file_actions_addclose(&actions, 2);
  else posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  std::vector<std::string> argv{cli_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_argv;
  for (auto& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  REQUIRE(spawned == 0);
  const int exit_fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  REQUIRE(exit_fd >= 0);

  Run run;
  int fds[2] = {out[0], err[0]};
  std::string* into[2] = {&run.out, &run.err};
  bool exited = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exited || fds[0] >= 0 || fds[1] >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd polls[3] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}, {exited ? -1 : exit_fd, POLLIN, 0}};
    if (::poll(polls, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    if (polls[2].revents != 0) exited = true;
    for (int i = 0; i < 2; ++i) {
      if (polls[i].revents == 0) continue;
      char buffer[65536];
      const ssize_t got = ::read(fds[i], buffer, sizeof buffer);
      if (got > 0) into[i]->append(buffer, static_cast<std::size_t>(got));
      else if (got == 0 || errno != EINTR) {
        ::close(fds[i]);
        fds[i] = -1;
      }
    }
  }
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
  ::close(exit_fd);
  if (!exited) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (exited) run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string numbered_lines(int count) {
  std::string text;
  for (int i = 1; i <= count; ++i) text += fmt::format("line {:09} xxxxxxxxxxxxxxxx\n", i);
  return text;
}

}  // namespace

TEST_CASE("cli stdio: logstream runs with stdin, stdout or stderr closed, one or more", "[cli][stdio]") {
  TempDir dir;
  const std::string expected = numbered_lines(1000);
  for (const std::set<int>& closed : std::vector<std::set<int>>{{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}}) {
    std::string which;
    for (int fd : closed) which += std::to_string(fd);
    INFO("closed: " << which);
    const std::string log = (dir / ("run-" + which + ".log")).string();
    const Run lines = run_with_closed(closed, run_args({"--plain", "--log", log}, {"lines", "1000"}));
    CHECK(lines.status == 0);
    CHECK(read_file(log) == expected);
    if (!closed.count(1)) CHECK(lines.out == expected);
    if (!closed.count(2)) CHECK(lines.err.find("logstream: summary") != std::string::npos);
    const Run three = run_with_closed(closed, run_args({"--plain", "--log", log + ".3"}, {"exit", "3"}));
    CHECK(three.status == 3);
    CHECK(read_file(log + ".3") == "bye\n");
  }
}

TEST_CASE("cli stdio: with logstream's stdin closed, the command's stdin is /dev/null", "[cli][stdio]") {
  TempDir dir;
  for (const std::set<int>& closed : std::vector<std::set<int>>{{0}, {0, 1}, {0, 2}}) {
    std::string which;
    for (int fd : closed) which += std::to_string(fd);
    INFO("closed: " << which);
    const std::string log = (dir / ("stdin-" + which + ".log")).string();
    const Run r = run_with_closed(closed, run_args({"--plain", "--log", log}, {"stdin-kind"}));
    CHECK(r.status == 0);
    CHECK(read_file(log) == "stdin /dev/null\n");
  }
}
