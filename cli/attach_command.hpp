// `logstream attach RUN|FILE`: the live display of `run` (panel, --plain, --json) for a run that
// another logstream records, or for any file being written (`tail -F`: rotation and truncation
// survived), with the same extraction. Output is written as lines arrive.
#pragma once

#include "options.hpp"

namespace logstream::cli {

/// A file follow ends at Ctrl-C or SIGTERM (exit 0). A run follow ends there too (the run goes
/// on; exit 0) or when the run ends (exit with its status: its code, 128+N for signal N).
/// 1 unknown run or unreadable file, 2 usage errors or an ambiguous prefix, 125 store unusable.
int attach_command(const AttachOptions& options);

}  // namespace logstream::cli
