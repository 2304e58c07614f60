// CLI-test helpers: run the logstream command with pipes (or a pseudo-terminal) as its stdout,
// read what it writes with a deadline, and wait for its exit without sleeping.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>  // RLIMIT_FSIZE
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "temp_dir.hpp"

namespace logstream::test {

inline std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

/// The command under test and the child programs (meson passes their paths).
inline std::string cli_path() { return env_or("LOGSTREAM_CLI", "cli/logstream"); }
inline std::string test_child_path() { return env_or("LOGSTREAM_TEST_CHILD", "tests/helpers/test_child"); }

/// The command's max_line_bytes: a longer line is stored in pieces of this size.
inline constexpr std::size_t cli_max_line_bytes = std::size_t{1} << 20;

/// `logstream run CLI... -- test_child CHILD...`
inline std::vector<std::string> run_args(const std::vector<std::string>& cli, const std::vector<std::string>& child) {
  std::vector<std::string> args{"run"};
  args.insert(args.end(), cli.begin(), cli.end());
  args.push_back("--");
  args.push_back(test_child_path());
  args.insert(args.end(), child.begin(), child.end());
  return args;
}

inline std::int64_t monotonic_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Writes `bytes` to `path` as they are, replacing what it held.
inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct CliOptions {
  std::filesystem::path program;  ///< what runs instead of the CLI (an example)
  std::vector<std::pair<std::string, std::string>> env;  ///< set in the CLI's environment
  std::vector<std::string> unset_env;
  std::filesystem::path cwd;
  std::filesystem::path stdin_file;  ///< the CLI's stdin (default /dev/null)
  bool pty_stdout = false;  ///< stdout and stderr on a pseudo-terminal of cols x rows
  unsigned short cols = 100;
  unsigned short rows = 30;
  std::filesystem::path stdout_file;  ///< stdout opened for writing from this path (/dev/full, a FIFO)
  bool stdout_unread = false;  ///< stdout is a pipe this process holds open and never reads
  bool new_session = false;    ///< setsid() before exec: no terminal, an orphaned process group
  std::optional<rlim_t> file_size_limit;  ///< RLIMIT_FSIZE in bytes
};

/// One run of the CLI. stdout and stderr are read by poll() into out() and err() (with a
/// pseudo-terminal both land in out()); each complete stdout line is stamped with CLOCK_MONOTONIC.
class CliProcess {
public:
  CliProcess(const std::vector<std::string>& args, const CliOptions& options = {}) {
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if (options.pty_stdout) {
      winsize ws{};
      ws.ws_col = options.cols;
      ws.ws_row = options.rows;
      if (::openpty(&out[0], &out[1], nullptr, nullptr, &ws) != 0) throw std::runtime_error("openpty failed");
    } else if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe failed");
    }
    if (!options.stdout_file.empty()) {
      ::close(out[0]);
      ::close(out[1]);
      out[0] = -1;
      out[1] = -1;  // the child opens the file itself, so that opening a FIFO blocks only it
    }
    std::vector<std::string> argv{options.program.empty() ? cli_path() : options.program.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) exec_child(argv, options, out, err);
    if (out[1] >= 0) ::close(out[1]);
    out_fd_ = out[0];
    if (options.stdout_unread) std::swap(out_fd_, unread_fd_);
    if (err[1] >= 0) ::close(err[1]);
    err_fd_ = err[0];
  }

  ~CliProcess() {
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
    if (unread_fd_ >= 0) ::close(unread_fd_);
  }
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }
  /// Complete stdout lines with the moment this process read them.
  const std::vector<std::pair<std::int64_t, std::string>>& stamped_lines() const { return stamped_; }

  /// Reads until `done()` holds or `timeout` passes; returns whether it held.
  bool read_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return done();
    }
    return true;
  }

  bool out_contains(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return read_until([&] { return out_.find(text) != std::string::npos; }, timeout);
  }
  bool err_contains(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return read_until([&] { return err_.find(text) != std::string::npos; }, timeout);
  }

  /// Closes our end of the CLI's stdout, as a reader that goes away (`| head`) does.
  void close_out() {
    if (out_fd_ >= 0) ::close(out_fd_);
    out_fd_ = -1;
  }

  /// True while the CLI has not exited (does not reap it).
  bool running() {
    siginfo_t info{};
    info.si_pid = 0;
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
  }

  /// Reads to EOF, then reaps the CLI: its exit code, 128+N for signal N, -1 after `timeout`
  /// (the CLI is then killed).
  int finish(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const bool eof = read_until([this] { return out_fd_ < 0 && err_fd_ < 0; }, timeout);
    if (!eof) ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    if (!eof) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

private:
  [[noreturn]] static void exec_child(const std::vector<std::string>& argv, const CliOptions& options, int out[2], int err[2]) {
    if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) ::_exit(120);
    // A test with a directory of its own records its runs there (one store per test).
    if (!options.cwd.empty()) ::setenv("LOGSTREAM_HOME", (options.cwd / ".logstream").c_str(), 1);
    for (const auto& [name, value] : options.env) ::setenv(name.c_str(), value.c_str(), 1);
    for (const auto& name : options.unset_env) ::unsetenv(name.c_str());
    if (options.file_size_limit) {
      const rlimit limit{*options.file_size_limit, *options.file_size_limit};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(123);
    }
    if (options.new_session) ::setsid();
    if (options.pty_stdout) {
      ::setsid();
      ::ioctl(out[1], TIOCSCTTY, 0);
      ::dup2(out[1], 1);
      ::dup2(out[1], 2);
    } else {
      if (!options.stdout_file.empty()) {
        const int fd = ::open(options.stdout_file.c_str(), O_WRONLY);
        if (fd < 0) ::_exit(124);
        ::dup2(fd, 1);
      } else {
        ::dup2(out[1], 1);
      }
      ::dup2(err[1], 2);
    }
    const int input = ::open(options.stdin_file.empty() ? "/dev/null" : options.stdin_file.c_str(), O_RDONLY);
    if (input < 0) ::_exit(122);
    ::dup2(input, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(121);
  }

  // One poll() round; false when both streams are closed or the wait timed out.
  bool read_some(int timeout_ms) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (out_fd_ < 0 && err_fd_ < 0) return false;
    const int ready = ::poll(fds, 2, timeout_ms);
    if (ready < 0 && errno == EINTR) return true;
    if (ready <= 0) return false;
    if (fds[0].revents != 0) drain(out_fd_, out_, true);
    if (fds[1].revents != 0) drain(err_fd_, err_, false);
    return true;
  }

  void drain(int& fd, std::string& into, bool stamp) {
    char buffer[65536];
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) {  // EOF, or EIO from a pseudo-terminal whose other side closed
      if (got < 0 && errno == EINTR) return;
      ::close(fd);
      fd = -1;
      return;
    }
    into.append(buffer, static_cast<std::size_t>(got));
    if (!stamp) return;
    const std::int64_t now = monotonic_ns();
    for (std::size_t nl; (nl = into.find('\n', stamped_end_)) != std::string::npos; stamped_end_ = nl + 1)
      stamped_.emplace_back(now, into.substr(stamped_end_, nl - stamped_end_));
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int unread_fd_ = -1;  // stdout_unread: the pipe's read end, held open, never read
  bool reaped_ = false;
  std::string out_;
  std::string err_;
  std::size_t stamped_end_ = 0;
  std::vector<std::pair<std::int64_t, std::string>> stamped_;
};

/// Sends `signal` to the CLI and waits until its stderr says `acknowledgement`: whether it did.
inline bool signal_acknowledged(CliProcess& cli, int signal, const std::string& acknowledgement) {
  ::kill(cli.pid(), signal);
  return cli.err_contains(acknowledgement);
}

/// In a sanitizer build, freed blocks wait in ASan's quarantine (256 MB by default): memory the
/// command gave back, not memory it holds. An environment entry for CliOptions::env that turns
/// it off; harmless for a normal build.
inline std::pair<std::string, std::string> no_quarantine() {
  std::string options = env_or("ASAN_OPTIONS", "");
  if (!options.empty()) options += ':';
  return {"ASAN_OPTIONS", options + "quarantine_size_mb=0:thread_local_quarantine_size_kb=0"};
}

/// True under ASan or TSan (./dev sets their options): memory bounds there allow for shadow
/// memory and redzones.
inline bool sanitized() { return std::getenv("TSAN_OPTIONS") != nullptr || std::getenv("ASAN_OPTIONS") != nullptr; }

/// The peak resident set of a running process (VmHWM), in KiB; 0 once it has exited. Not
/// getrusage or wait4: their peak includes the test process's own pages, which a forked child
/// counts until it execs (so sample only once the CLI has written something).
inline long vm_hwm_kib(pid_t pid) {
  const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  const auto at = status.find("VmHWM:");
  return at == std::string::npos ? 0 : std::stol(status.substr(at + 6));
}

/// Runs the CLI to the end: {status, stdout, stderr}.
struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

inline CliResult run_cli(const std::vector<std::string>& args, const CliOptions& options = {}) {
  CliProcess cli(args, options);
  CliResult result;
  result.status = cli.finish();
  result.out = cli.out();
  result.err = cli.err();
  return result;
}

/// A directory of a test's own with a run store of its own (LOGSTREAM_HOME=DIR/home): the CLI
/// runs in the directory and records its runs there.
struct StoreDir {
  TempDir dir;
  std::filesystem::path home() const { return dir / "home"; }
  CliOptions options() const { return CliOptions{.env = {{"LOGSTREAM_HOME", home().string()}}, .cwd = dir.path()}; }
  CliResult cli(const std::vector<std::string>& args) const { return run_cli(args, options()); }
};

/// The log file path the CLI announced ("log file PATH" at the start), relative to its cwd.
inline std::filesystem::path announced_log(const std::string& err) {
  const std::string marker = "; log file ";
  const auto at = err.find(marker);
  if (at == std::string::npos) return {};
  const auto end = err.find('\n', at);
  return err.substr(at + marker.size(), end - at - marker.size());
}

}  // namespace logstream::test
