// `logstream replay FILE`: the progress and metrics summary of a log written before.
#pragma once

#include "options.hpp"

namespace logstream::cli {

/// 0, 1 when the file cannot be read, 2 for a bad rule.
int replay_command(const ReplayOptions& options);

}  // namespace logstream::cli
