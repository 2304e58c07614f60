// The commands that read the run store: `ls`, `show` and `logs` (README: "The run store").
#pragma once

#include "options.hpp"

namespace logstream::cli {

/// Exit 0; 125 when the store cannot be opened.
int ls_command(const ListOptions& options);
/// Exit 0; 1 unknown run, 2 ambiguous prefix, 125 store unusable.
int show_command(const ShowOptions& options);
/// Exit 0; 1 unknown run (or its log unreadable), 2 ambiguous prefix, 125 store unusable.
int logs_command(const LogsOptions& options);

}  // namespace logstream::cli
