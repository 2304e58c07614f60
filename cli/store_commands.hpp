// The commands of the run store: `ls`, `show`, `logs`, `stop`, `rm`, `prune` (README: "The run store").
#pragma once

#include "options.hpp"

namespace logstream::cli {

/// Exit 0; 125 when the store cannot be opened.
int ls_command(const ListOptions& options);
/// Exit 0; 1 unknown run, 2 ambiguous prefix, 125 store unusable.
int show_command(const ShowOptions& options);
/// Exit 0; 1 unknown run (or its log unreadable), 2 ambiguous prefix, 125 store unusable.
int logs_command(const LogsOptions& options);

/// Exit 0 once the run ended (also when it was not running); 1 unknown run or it outlived
/// SIGKILL's grace; 2 ambiguous; 125 store unusable.
int stop_command(const StopOptions& options);
/// Exit 0 when every run was removed; 1 when one is unknown, running or could not be removed
/// (the others are still removed); 2 ambiguous; 125 store unusable.
int rm_command(const RemoveOptions& options);
/// Exit 0; 2 for a DURATION or SIZE that does not parse; 125 store unusable.
int prune_command(const PruneOptions& options);
/// Serves until SIGINT or SIGTERM, then exit 0; 2 for a bad --listen; 125 when the store cannot
/// be opened or the address cannot be listened on.
int serve_command(const ServeOptions& options);
/// As grep: exit 0 when a line matched, 1 when none did, 2 on an error (a bad pattern or
/// duration, an unknown run, a log that cannot be read: the other runs are still searched);
/// 125 store unusable.
int search_command(const SearchCommandOptions& options);
/// Runs until SIGINT or SIGTERM; 2 for a bad URL; 125 when the store cannot be opened.
int collect_command(const CollectOptions& options);

}  // namespace logstream::cli
