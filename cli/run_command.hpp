// `logstream run`: start the command, drive the chosen front end, forward signals, and end with
// the summary and the command's exit status.
#pragma once

#include "options.hpp"

namespace logstream::cli {

/// Returns logstream's exit status. Call after block_handled_signals(), on the main thread.
int run_command(const RunOptions& options);

}  // namespace logstream::cli
