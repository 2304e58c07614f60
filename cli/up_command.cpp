// `logstream up` (see up_command.hpp).
#include "up_command.hpp"

#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "child_guard.hpp"
#include "exit_status.hpp"
#include "filter_flags.hpp"
#include "format.hpp"
#include "messages.hpp"
#include "procfile.hpp"
#include "signals.hpp"
#include "store_access.hpp"
#include "summary.hpp"
#include "terminal.hpp"
#include "up_display.hpp"

namespace logstream::cli {
namespace {

struct Process {
  ProcfileEntry entry;
  std::optional<Streamer> streamer;
  std::string start_error;
  std::optional<int> status;  // once it ended: its exit status as a shell reports it
  std::chrono::steady_clock::time_point started{};
  double seconds = 0;
};

// The processes' ends, reported by on_complete (a worker thread) to the main thread.
class Completions {
public:
  void push(std::size_t index) {
    {
      std::lock_guard lock(mutex_);
      ended_.push_back(index);
    }
    cv_.notify_all();
  }
  std::size_t pop() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return !ended_.empty(); });
    const std::size_t index = ended_.front();
    ended_.pop_front();
    return index;
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::size_t> ended_;
};

// Stops every process still running: SIGTERM to its group now, SIGKILL after its stop grace.
void stop_running(std::vector<Process>& processes) {
  for (Process& p : processes)
    if (p.streamer && !p.status && p.streamer->is_process_running()) p.streamer->request_stop();
}

void kill_running(std::vector<Process>& processes) {
  for (Process& p : processes)
    if (p.streamer && !p.status && p.streamer->is_process_running())
      if (const auto pid = p.streamer->pid()) ::kill(-*pid, SIGKILL);
}

// The signals main() blocked, handed over by a SignalThread: a stop signal stops every process
// (a second one kills them), SIGQUIT is passed on, SIGWINCH redraws. `up` does not suspend:
// Ctrl-Z is refused with a notice (a group of runs has no one terminal job to stop).
class UpSignals {
public:
  /// `processes` and `stopping` are guarded by `processes_mutex`; `stopping` is set by the first
  /// stop signal (no further process starts).
  UpSignals(std::vector<Process>& processes, std::mutex& processes_mutex, bool& stopping, UpDisplay& display)
      : processes_(processes), processes_mutex_(processes_mutex), stopping_(stopping), display_(display),
        thread_([this](int signo) { handle(signo); }) {}

private:
  void handle(int signo) {
    if (signo == SIGWINCH) return display_.resize();
    if (signo == SIGCONT) return;
    if (signo == SIGTSTP) return display_.notice("Ctrl-Z ignored: logstream up does not suspend (Ctrl-C stops every process)");
    std::lock_guard lock(processes_mutex_);
    if (signo == SIGQUIT) {
      for (Process& p : processes_)
        if (p.streamer && !p.status)
          if (const auto pid = p.streamer->pid()) ::kill(-*pid, SIGQUIT);
      return;
    }
    if (++stop_signals_ == 1) {
      stopping_ = true;
      stop_running(processes_);
      display_.notice(fmt::format("{} received: stopping every process (a second one kills them)", signal_name(signo)));
    } else {
      kill_running(processes_);
      display_.notice(fmt::format("second {}: killed every process (SIGKILL)", signal_name(signo)));
    }
  }

  std::vector<Process>& processes_;
  std::mutex& processes_mutex_;
  bool& stopping_;
  UpDisplay& display_;
  int stop_signals_ = 0;
  SignalThread thread_;
};

std::string state_text(const Process& p) {
  if (!p.start_error.empty()) return "did not start";
  const auto exit = p.streamer->exit_status();
  if (!exit) return "ended";
  if (exit->term_signal) return "killed " + signal_name(*exit->term_signal);
  return fmt::format("{} {}", exit->exit_code.value_or(0) == 0 ? "exited" : "failed", exit->exit_code.value_or(0));
}

std::string default_group() {
  std::error_code ignored;
  const std::filesystem::path cwd = std::filesystem::current_path(ignored);
  const std::string name = cwd.filename().string();
  return name.empty() ? "default" : name;
}

// One line per process on stderr once all ended: how each ended, its lines and its run.
std::string format_up_summary(const std::vector<Process>& processes) {
  std::size_t width = 0;
  for (const Process& p : processes) width = std::max(width, p.entry.name.size());
  std::string out;
  for (const Process& p : processes) {
    std::string text = fmt::format("{:<{}}  {}", p.entry.name, width, state_text(p));
    if (p.streamer) {
      text += fmt::format(", {} lines in {}", p.streamer->stats().lines, format_clock(p.seconds));
      if (!p.streamer->run_id().empty()) text += fmt::format(", run {}", p.streamer->run_id());
    }
    if (!p.start_error.empty()) text += ": " + p.start_error;
    out += message_line(text);
  }
  return out;
}

}  // namespace

int up_command(const UpOptions& o) {
  std::vector<ProcfileEntry> entries;
  {
    const InterruptibleScope interruptible;
    try {
      entries = read_procfile(o.procfile);
    } catch (const ProcfileError& e) {
      say(e.what());
      return usage_status;
    }
  }
  std::optional<LineFilter> filter = filter_or_say(o.filter);
  if (!filter) return usage_status;
  std::vector<Process> processes(entries.size());  // in place: a Streamer does not move
  for (std::size_t i = 0; i < entries.size(); ++i) processes[i].entry = std::move(entries[i]);
  const auto stop_grace = std::chrono::milliseconds(static_cast<std::int64_t>(o.stop_timeout_seconds * 1000));
  // Forked first, before any thread and the store's files: one guard stops every command
  // if logstream itself is killed.
  ChildGuard guard(stop_grace);
  std::shared_ptr<RunStore> store;
  {
    const InterruptibleScope interruptible;
    store = open_store();
    if (!store) return internal_failure_status;
  }
  const std::string group = o.group.empty() ? default_group() : o.group;

  std::vector<std::string> names;
  for (const Process& p : processes) names.push_back(p.entry.name);
  const bool terminal = !o.plain && is_terminal(STDOUT_FILENO) && !is_dumb_terminal();
  UpDisplay display(names, UpDisplayOptions{.terminal = terminal, .color = terminal && color_wanted(STDOUT_FILENO), .show_lines = !o.quiet,
                                             .filter = std::move(*filter)});

  auto runtime = std::make_shared<Runtime>();
  // Shared with the callbacks: the last one may still be inside push() when this function returns.
  const auto completions = std::make_shared<Completions>();
  for (std::size_t i = 0; i < processes.size(); ++i) {
    Process& p = processes[i];
    StreamerOptions options;
    options.runtime = runtime;
    options.store = store;
    options.run_name = p.entry.name;
    options.run_group = group;
    options.stop_grace = stop_grace;
    try {
      p.streamer.emplace(ProcessSpec{.argv = {"/bin/sh", "-c", p.entry.command}}, std::filesystem::path(), std::move(options));
    } catch (const StoreError& e) {
      say(e.what());
      return internal_failure_status;
    }
    display.attach(i, *p.streamer);
    p.streamer->on_complete += [completions, i] { completions->push(i); };
  }

  // The signal thread and the main thread both look at the processes' states.
  std::mutex processes_mutex;
  bool stopping = false;
  std::optional<UpSignals> signals;
  signals.emplace(processes, processes_mutex, stopping, display);
  display.begin();
  std::size_t running = 0;
  std::optional<int> first_failure;
  const auto failed = [&](Process& p, int status) {
    p.status = status;
    if (first_failure) return;
    first_failure = status;
    if (o.on_failure == UpOptions::OnFailure::stop_all && running > 0) {
      display.notice(fmt::format("{} failed: stopping the others (--on-failure stop-all)", p.entry.name));
      stop_running(processes);
    }
  };
  for (std::size_t i = 0; i < processes.size(); ++i) {
    Process& p = processes[i];
    std::lock_guard lock(processes_mutex);
    // After Ctrl-C, or with stop-all once one failed to start, the rest do not start.
    if (stopping || (first_failure && o.on_failure == UpOptions::OnFailure::stop_all)) {
      p.start_error = stopping ? "not started (stopped)" : "not started (an earlier process failed)";
      p.status = internal_failure_status;
      display.set_state(i, "not started", true);
      continue;
    }
    p.started = std::chrono::steady_clock::now();
    try {
      p.streamer->start();
    } catch (const StartError& e) {
      p.start_error = e.what();
      display.set_state(i, "did not start", true);
      display.notice(fmt::format("{}: {}", p.entry.name, e.what()));
      failed(p, status_of_start_error(e.code()));
      continue;
    }
    if (const auto pid = p.streamer->pid()) guard.watch(*pid);
    display.set_state(i, "running", false);
    ++running;
  }

  while (running > 0) {
    const std::size_t i = completions->pop();
    std::lock_guard lock(processes_mutex);
    Process& p = processes[i];
    --running;
    p.seconds = seconds_between(p.started, std::chrono::steady_clock::now());
    const auto exit = p.streamer->exit_status();
    const int status = exit ? status_of(*exit) : internal_failure_status;
    display.set_state(i, state_text(p), status != 0);
    display.notice(fmt::format("{} {}", p.entry.name, state_text(p)));
    if (status != 0) failed(p, status);
    else p.status = 0;
  }
  guard.over();
  signals.reset();
  display.end();
  write_all(STDERR_FILENO, format_up_summary(processes));
  const std::string output_error = display.failure();
  if (!output_error.empty()) say(output_error);
  apply_default_retention(*store);
  if (first_failure) return *first_failure;
  return output_error.empty() ? 0 : internal_failure_status;
}

}  // namespace logstream::cli
