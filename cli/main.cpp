// logstream: the command-line entry point; parses the command line and runs a subcommand.
#include <exception>
#include <variant>

#include "attach_command.hpp"
#include "exit_status.hpp"
#include "io/standard_fds.hpp"
#include "messages.hpp"
#include "options.hpp"
#include "replay_command.hpp"
#include "run_command.hpp"
#include "signals.hpp"
#include "store_commands.hpp"
#include "up_command.hpp"

int main(int argc, char** argv) {
  using namespace logstream::cli;
  // First: every file the command opens (the store, the log) must get a number above stderr.
  logstream::io::fill_closed_standard_fds();
  // Before any thread exists (the Streamer's runtime starts some): see block_handled_signals.
  block_handled_signals();
  try {
    const Invocation invocation = parse_command_line(argc, argv);
    if (const int* status = std::get_if<int>(&invocation)) return *status;
    if (const auto* run = std::get_if<RunOptions>(&invocation)) return run_command(*run);
    // attach reads its stop signals itself (they end the follow, not the process).
    if (const auto* attach = std::get_if<AttachOptions>(&invocation)) return attach_command(*attach);
    if (const auto* up = std::get_if<UpOptions>(&invocation)) return up_command(*up);
    // serve waits for its stop signals itself (they end the serving, not the process).
    if (const auto* serve = std::get_if<ServeOptions>(&invocation)) return serve_command(*serve);
    // The other commands have no child to pass a signal to: Ctrl-C and SIGTERM end them,
    // whatever they read.
    const InterruptibleScope interruptible;
    if (const auto* ls = std::get_if<ListOptions>(&invocation)) return ls_command(*ls);
    if (const auto* show = std::get_if<ShowOptions>(&invocation)) return show_command(*show);
    if (const auto* logs = std::get_if<LogsOptions>(&invocation)) return logs_command(*logs);
    if (const auto* stop = std::get_if<StopOptions>(&invocation)) return stop_command(*stop);
    if (const auto* rm = std::get_if<RemoveOptions>(&invocation)) return rm_command(*rm);
    if (const auto* prune = std::get_if<PruneOptions>(&invocation)) return prune_command(*prune);
    if (const auto* search = std::get_if<SearchCommandOptions>(&invocation)) return search_command(*search);
    if (const auto* collect = std::get_if<CollectOptions>(&invocation)) return collect_command(*collect);
    return replay_command(std::get<ReplayOptions>(invocation));
  } catch (const std::exception& e) {
    say(e.what());
    return internal_failure_status;
  }
}
