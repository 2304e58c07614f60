// logstream: the command-line entry point; parses the command line and runs a subcommand.
#include <exception>
#include <variant>

#include "exit_status.hpp"
#include "messages.hpp"
#include "options.hpp"
#include "replay_command.hpp"
#include "run_command.hpp"
#include "signals.hpp"

int main(int argc, char** argv) {
  using namespace logstream::cli;
  // Before any thread exists (the Streamer's runtime starts some): see block_handled_signals.
  block_handled_signals();
  try {
    const Invocation invocation = parse_command_line(argc, argv);
    if (const int* status = std::get_if<int>(&invocation)) return *status;
    if (const auto* run = std::get_if<RunOptions>(&invocation)) return run_command(*run);
    // replay has no child to pass a signal to: Ctrl-C and SIGTERM end it, whatever it reads.
    const InterruptibleScope interruptible;
    return replay_command(std::get<ReplayOptions>(invocation));
  } catch (const std::exception& e) {
    say(e.what());
    return internal_failure_status;
  }
}
