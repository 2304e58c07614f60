// blocking_reader: the latency floor. The simplest correct reader: the generator on a pipe,
// blocking read(2) into one buffer, split at LF, the same latency computation as `latency`.
// Written C-style on purpose: no threads, no event loop, no extraction, no copies.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common/gen_args.hpp"
#include "common/latency_recorder.hpp"
#include "common/seq_checker.hpp"
#include "common/usage.hpp"

extern char** environ;

namespace {

// Spawns argv with its stdout on a pipe; returns the read end, or -1.
int spawn_reading(const std::vector<std::string>& args, pid_t& pid) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    errno = rc;
    return -1;
  }
  return fds[0];
}

}  // namespace

int main(int argc, char** argv) {
  std::string gen = bench::default_gen_path(argv[0]);
  double rate = 100'000;
  double seconds = 2;
  CLI::App app{"Write-to-read latency of a minimal blocking pipe reader"};
  app.add_option("--gen", gen, "the load generator");
  app.add_option("--rate", rate, "lines/s")->check(CLI::PositiveNumber);
  app.add_option("--seconds", seconds, "how long the generator writes")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  const auto lines = static_cast<std::uint64_t>(rate * seconds);
  pid_t pid = 0;
  const int fd = spawn_reading(bench::gen_argv(gen, lines, rate, "realistic", true), pid);
  if (fd < 0) {
    std::fprintf(stderr, "blocking_reader: cannot run %s: %s\n", gen.c_str(), std::strerror(errno));
    return 2;
  }
  bench::LatencyRecorder recorder(lines);
  bench::SeqChecker checker;
  std::vector<char> buffer(1 << 16);
  std::size_t kept = 0;  // bytes of an unterminated line at the start of the buffer
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data() + kept, buffer.size() - kept);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::string_view text(buffer.data(), kept + static_cast<std::size_t>(n));
    for (auto end = text.find('\n'); end != std::string_view::npos; end = text.find('\n')) {
      std::string_view line = text.substr(0, end);
      if (const auto cr = line.rfind('\r'); cr != std::string_view::npos) line.remove_prefix(cr + 1);
      recorder.add(line, bench::monotonic_ns());
      checker.feed(line);
      text.remove_prefix(end + 1);
    }
    kept = text.size();
    std::memmove(buffer.data(), text.data(), kept);
    if (kept == buffer.size()) buffer.resize(buffer.size() * 2);
  }
  ::close(fd);
  int status = 0;
  ::waitpid(pid, &status, 0);

  const bool ok = checker.complete(lines) && recorder.samples() == lines;
  const std::string error = ok ? "" : checker.error().empty() ? fmt::format("{} of {} lines", checker.lines(), lines) : checker.error();
  std::printf("%s\n", fmt::format(R"({{"reader": "blocking", "rate": {}, "lines": {}, {}, "ok": {}, "error": "{}"}})",
                                  rate, lines, recorder.summary_json(), ok, error).c_str());
  return ok ? 0 : 1;
}
