// How the store's commands (ls, show, logs) open the run store and resolve a RUN argument, with
// the documented exit statuses: 1 for an unknown run, 2 for an ambiguous prefix, 125 for a store
// that cannot be opened.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <logstream/run_store.hpp>

#include "json/json.hpp"
#include "json/stored_run_json.hpp"

namespace logstream::cli {

inline constexpr int unknown_run_status = 1;
inline constexpr int ambiguous_run_status = 2;

/// The store at RunStore::default_root(), its repairs said on stderr; empty after saying why it
/// cannot be opened.
std::shared_ptr<RunStore> open_store();

/// The store does not grow without bound: after each run (`run`, `up`), the default retention
/// (README); a failure is a warning on stderr.
void apply_default_retention(RunStore& store);

/// The run RUN names, or the exit status after saying why there is none (the candidates of an
/// ambiguous prefix listed on stderr).
std::variant<RunRecord, int> find_run(const RunStore& store, const std::string& run);

/// The store and the run RUN names in it, or the exit status after saying why not.
struct FoundRun {
  std::shared_ptr<RunStore> store;
  RunRecord run;
};
std::variant<FoundRun, int> open_and_find(const std::string& run);


/// "exited", "failed (exit code 3)", "killed (SIGTERM)", "running", "lost".
std::string describe_state(const RunRecord& run);
/// The run's start time as the user's clock shows it: "2026-12-01 08:46:22".
std::string local_time(std::chrono::system_clock::time_point time);

}  // namespace logstream::cli
