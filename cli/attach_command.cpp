// `logstream attach RUN|FILE` (see attach_command.hpp): the display of `run` for a stream that
// another process writes. The followed file is copied into a pipe that a Streamer reads, so the
// framing, extraction and front ends are exactly those of `run`.
#include "attach_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "exit_status.hpp"
#include "file_follower.hpp"
#include "filter_flags.hpp"
#include "io/write_all.hpp"
#include "json/json.hpp"
#include "messages.hpp"
#include "redis_remote.hpp"
#include "output_factory.hpp"
#include "rules_option.hpp"
#include "store_access.hpp"

namespace logstream::cli {
namespace {

constexpr std::size_t default_history = 100;

// The stop signals and SIGWINCH, blocked since main(), read here instead of by a forwarder:
// there is no child to pass them to.
class AttachSignals {
public:
  AttachSignals() {
    sigset_t set;
    ::sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGWINCH}) ::sigaddset(&set, s);
    fd_ = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  }
  ~AttachSignals() {
    if (fd_ >= 0) ::close(fd_);
  }
  AttachSignals(const AttachSignals&) = delete;
  AttachSignals& operator=(const AttachSignals&) = delete;

  int fd() const { return fd_; }
  /// Reads what came: true when it was a stop signal (after telling `output` of a resize).
  bool stop_requested(Output& output) {
    signalfd_siginfo info{};
    bool stop = false;
    while (::read(fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      if (info.ssi_signo == SIGWINCH) output.resize();
      else stop = true;
    }
    return stop;
  }

private:
  int fd_ = -1;
};

// The remote run's lines into the stream's pipe, until its exit entry (its status is ours) or
// a stop signal (0: detached).
int attach_remote(RemoteRun& remote, const RunRecord& run, const AttachOptions& o, int pipe_fd, AttachSignals& signals, Streamer& streamer, Output& output) {
  std::string text;
  std::optional<std::string> exit;
  try {
    exit = read_remote_lines(remote, run, true, o.count.value_or(default_history),
                             RemoteLines{.line =
                                             [&](const StoredLine& line) {
                                               text = line.text;
                                               if (!line.continued) text += '\n';
                                               (void)io::write_all(pipe_fd, text);
                                             },
                                         .stop = [&] { return signals.stop_requested(output); }});
  } catch (const std::exception& e) {
    say(e.what());
  }
  ::close(pipe_fd);  // the stream's end of input
  streamer.wait_for_completion();
  RunSummary summary{.log_file = o.target};
  summary.stats = streamer.stats();
  summary.progress = streamer.get_progress();
  output.end(summary);
  if (!exit) return 0;
  const json::Json object = json::Json::parse(*exit, nullptr, false);
  if (object.is_discarded()) return 0;
  if (auto signal = json::get_optional<int>(object, "signal")) return 128 + *signal;
  return json::get_optional<int>(object, "exit_code").value_or(json::get_or<std::string>(object, "state", "exited") == "exited" ? 0 : 1);
}

}  // namespace

int attach_command(const AttachOptions& o) {
  RuleSet rules;
  try {
    rules = load_rules(o.rules_file, o.rules);
  } catch (const RuleError& e) {
    say(e.what());
    return usage_status;
  }
  std::optional<LineFilter> filter = filter_or_say(o.filter);
  if (!filter) return usage_status;
  // A path that exists is followed as a file; anything else names a run of the store.
  std::optional<FoundRun> target;
  std::filesystem::path file;
  std::error_code error;
  // redis://HOST[:PORT]/RUN: a run in Redis, its lines read from its stream.
  std::optional<RemoteRun> remote;
  std::optional<RunRecord> remote_run;
  if (is_remote_run(o.target)) {
    try {
      remote.emplace(o.target);
      remote_run = remote->record();
    } catch (...) {
      return remote_failure_status();
    }
    file = o.target;
  } else if (std::filesystem::exists(o.target, error)) {
    file = o.target;
  } else {
    auto found = open_and_find(o.target);
    if (const int* status = std::get_if<int>(&found)) return *status;
    target = std::get<FoundRun>(std::move(found));
    file = target->run.log;
  }

  StreamerOptions options;
  options.buffer_lines = o.buffer_lines;
  options.extraction.rules = std::move(rules);
  // The history shown is the last lines; the progress before them comes from the store's
  // snapshot (a run) or a replay of the file as it is now.
  try {
    options.extraction.initial_progress = remote_run ? remote_run->progress
                                          : target   ? target->run.progress
                                                     : replay(file, options.extraction.rules).progress;
  } catch (const std::exception& e) {
    say(e.what());
    return unknown_run_status;
  }
  int pipe_fds[2] = {-1, -1};
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    say(fmt::format("cannot attach: {}", std::generic_category().message(errno)));
    return internal_failure_status;
  }
  Streamer streamer{FdSource{.fd = pipe_fds[0], .close_on_end = true}, {}, std::move(options)};
  std::unique_ptr<Output> output = make_output(OutputChoice{.mode = o.mode,
                                                            .show_lines = !o.quiet,
                                                            .title = remote_run ? remote_run->name
                                                                     : target   ? target->run.name
                                                                                : base_name(file.string()),
                                                            .history_lines = o.buffer_lines,
                                                            .filter = std::move(*filter)});
  output->attach(streamer);
  try {
    streamer.start();
  } catch (const std::exception& e) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    say(e.what());
    return internal_failure_status;
  }
  say(remote_run ? fmt::format("attached to run {} ({}); Ctrl-C detaches", remote_run->id, o.target)
      : target    ? fmt::format("attached to run {} ({}); Ctrl-C detaches", target->run.id, file.string())
                  : fmt::format("following {}; Ctrl-C ends", file.string()));
  output->begin();

  AttachSignals signals;
  if (remote) return attach_remote(*remote, *remote_run, o, pipe_fds[1], signals, streamer, *output);
  FileFollower follower(file, o.count.value_or(default_history));
  std::optional<RunRecord> ended;
  const auto run_ended = [&] {
    if (!target) return false;
    auto now = target->store->get(target->run.id);
    if (now && now->state == RunState::running) return false;
    ended = std::move(now);
    return true;
  };
  follower.run(pipe_fds[1], signals.fd(), [&] { return signals.stop_requested(*output); }, run_ended);
  ::close(pipe_fds[1]);  // the stream's end of input
  streamer.wait_for_completion();

  RunSummary summary{.log_file = file};
  summary.stats = streamer.stats();
  summary.progress = streamer.get_progress();
  output->end(summary);
  if (!ended) return 0;  // detached, or a file: the writer goes on
  if (ended->signal) return 128 + *ended->signal;
  return ended->exit_code.value_or(ended->state == RunState::exited ? 0 : 1);
}

}  // namespace logstream::cli
