// Spawning: environment, pipes or PTY, uv_spawn in a new session, and clear start-up errors.
#include "loop/child_process.hpp"

#include "loop/group_watch.hpp"

#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include <logstream/error.hpp>

#include "loop/spawn_error.hpp"

extern char** environ;

namespace logstream {
namespace {

/// Closes the fds it holds unless released: every early throw leaves nothing open.
struct FdGuard {
  std::vector<int> fds;
  ~FdGuard() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
};

std::string command_name(const ProcessSpec& spec) { return spec.argv.empty() ? std::string() : spec.argv[0]; }

[[noreturn]] void fail(int err, const std::string& message) {
  throw StartError(std::error_code(err, std::generic_category()), message);
}

std::vector<std::string> child_environment(const ProcessSpec& spec) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    merged.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  for (const auto& [k, v] : spec.env) merged[k] = v;
  // Python block-buffers stdout on a pipe: without this nothing streams until it exits. A value
  // the user set, in env or in our own environment, is theirs to keep.
  merged.emplace("PYTHONUNBUFFERED", "1");
  std::vector<std::string> out;
  out.reserve(merged.size());
  for (const auto& [k, v] : merged) {
    std::string entry;
    entry.reserve(k.size() + 1 + v.size());
    entry.append(k).append(1, '=').append(v);
    out.push_back(std::move(entry));
  }
  return out;
}

void check_cwd(const ProcessSpec& spec) {
  if (spec.cwd.empty()) return;
  struct stat st {};
  if (::stat(spec.cwd.c_str(), &st) != 0)
    fail(errno, fmt::format("cannot start '{}': working directory '{}': {}", command_name(spec), spec.cwd,
                            std::strerror(errno)));
  if (!S_ISDIR(st.st_mode))
    fail(ENOTDIR, fmt::format("cannot start '{}': working directory '{}' is not a directory", command_name(spec),
                              spec.cwd));
}

void make_pipe(FdGuard& guard, int fds[2], const ProcessSpec& spec) {
  // uv_pipe makes both ends close-on-exec; the write end stays blocking so a child that
  // outpaces us blocks in write() (backpressure) instead of failing with EAGAIN.
  if (int rc = uv_pipe(fds, 0, 0); rc != 0)
    fail(-rc, fmt::format("cannot start '{}': cannot create a pipe: {}", command_name(spec), uv_strerror(rc)));
  guard.fds.push_back(fds[0]);
  guard.fds.push_back(fds[1]);
}

void make_pty(FdGuard& guard, int fds[2], const ProcessSpec& spec) {
  int master = -1;
  int slave = -1;
  struct winsize ws {};
  ws.ws_col = 120;
  ws.ws_row = 40;
  // The child sees our own terminal's size when there is one.
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) {
    ws.ws_col = 120;
    ws.ws_row = 40;
  }
  if (::openpty(&master, &slave, nullptr, nullptr, &ws) != 0)
    fail(errno, fmt::format("cannot start '{}': cannot open a pseudo-terminal: {}", command_name(spec),
                            std::strerror(errno)));
  ::fcntl(master, F_SETFD, FD_CLOEXEC);
  ::fcntl(slave, F_SETFD, FD_CLOEXEC);
  fds[0] = master;
  fds[1] = slave;
  guard.fds.push_back(master);
  guard.fds.push_back(slave);
}

}  // namespace

ChildProcess::ChildProcess(uv_loop_t* loop, const ProcessSpec& spec, std::function<void(ExitStatus)> on_exit,
                           HandleCount* count) {
  if (spec.argv.empty() || spec.argv[0].empty()) fail(EINVAL, "cannot start a process: the command is empty");
  check_cwd(spec);

  FdGuard guard;
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  if (spec.pty) {
    make_pty(guard, out, spec);
  } else {
    make_pipe(guard, out, spec);
    if (!spec.merge_stderr) make_pipe(guard, err, spec);
  }

  std::vector<std::string> env = child_environment(spec);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  std::vector<std::string> argv = spec.argv;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  uv_stdio_container_t stdio[3];
  if (spec.pty) {
    for (auto& s : stdio) {
      s.flags = UV_INHERIT_FD;
      s.data.fd = out[1];
    }
  } else {
    stdio[0].flags = spec.inherit_stdin ? UV_INHERIT_FD : UV_IGNORE;
    stdio[0].data.fd = 0;
    stdio[1].flags = UV_INHERIT_FD;
    stdio[1].data.fd = out[1];
    stdio[2].flags = UV_INHERIT_FD;
    stdio[2].data.fd = spec.merge_stderr ? out[1] : err[1];
  }

  uv_process_options_t options{};
  options.exit_cb = &ChildProcess::on_exit;
  options.file = args[0];
  options.args = args.data();
  options.env = envp.data();
  options.cwd = spec.cwd.empty() ? nullptr : spec.cwd.c_str();
  options.flags = UV_PROCESS_DETACHED;  // setsid(): its own group, so stop() reaches grandchildren
  options.stdio_count = 3;
  options.stdio = stdio;

  // A failed spawn still initialised the handle: the LoopHandle closes and frees it.
  if (int rc = handle_.open(count, [&](uv_process_t* process) { return uv_spawn(loop, process, &options); }); rc != 0)
    throw StartError(std::error_code(-rc, std::generic_category()), spawn_error(spec, rc));
  handle_.state().on_exit = std::move(on_exit);
  handle_.state().owner = this;
  pid_ = handle_.get()->pid;

  // The parent keeps only the read ends.
  guard.fds.clear();
  ::close(out[1]);
  if (err[1] >= 0) ::close(err[1]);
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
}

ChildProcess::~ChildProcess() {
  // The handle lives on until the exit callback, which closes it; it must not call back into us.
  if (!handle_.is_open()) return;
  handle_.state().owner = nullptr;
  handle_.state().on_exit = nullptr;
  handle_.release();
}

void ChildProcess::signal_group(int signal) const noexcept {
  if (pid_ > 0) ::kill(-pid_, signal);
}

bool ChildProcess::group_alive() const { return pid_ > 0 && !running_group_members(pid_).empty(); }

void ChildProcess::on_exit(uv_process_t* process, std::int64_t status, int term_signal) {
  State& state = Handle::state(process);
  ExitStatus exit;
  if (term_signal != 0) exit.term_signal = term_signal;
  else exit.exit_code = static_cast<int>(status);
  if (state.owner) state.owner->handle_.release();
  auto on_exit = std::move(state.on_exit);
  Handle::close(process);
  if (on_exit) on_exit(exit);
}

}  // namespace logstream
