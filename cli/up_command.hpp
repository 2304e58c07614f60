// `logstream up [PROCFILE]`: every process of a Procfile started at once, each as a recorded run of
// one group, on one runtime; their lines merged with name prefixes, one panel row each; Ctrl-C
// stops them all. The exit status is 0 when every process succeeded, else the first failure's.
#pragma once

#include "options.hpp"

namespace logstream::cli {

/// Call after block_handled_signals(), on the main thread.
int up_command(const UpOptions& options);

}  // namespace logstream::cli
