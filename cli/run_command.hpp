// `logstream run`: start the command, drive the chosen front end, forward signals, and end with
// the summary and the command's exit status.
#pragma once

#include "options.hpp"

namespace logstream::cli {

class StartReport;

/// Returns logstream's exit status. Call after block_handled_signals(), on the main thread.
/// With --detach it returns once the command runs in the background (detach.hpp).
int run_command(const RunOptions& options);
/// The run itself; `report` (the background side of a detached run) hears when the command
/// started.
int run_in_foreground(const RunOptions& options, StartReport* report);

}  // namespace logstream::cli
