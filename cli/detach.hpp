// `logstream run -d`: the run goes on in the background, in a session of its own, and the
// starter returns once the command runs, printing the run id (or failing as `run` would).
#pragma once

#include <string>

#include "options.hpp"

namespace logstream::cli {

/// The background side's word to the starter: sent once, the command started (or not).
class StartReport {
public:
  explicit StartReport(int fd) : fd_(fd) {}
  ~StartReport();
  StartReport(const StartReport&) = delete;
  StartReport& operator=(const StartReport&) = delete;

  /// The command runs: the starter prints the id and exits 0. stdout and stderr become
  /// /dev/null from here on (the run's events and summary are in the store).
  void started(const std::string& run_id);
  /// The run ends before its command started: the starter exits with this status (the
  /// message was already said on the shared stderr).
  void failed(int status);
  bool sent() const noexcept { return fd_ < 0; }

private:
  int fd_;
};

/// Forks the background side (which runs `run` with the report) and waits for its report.
/// Call before any thread exists. Returns the starter's exit status.
int detach_run(const RunOptions& options, int (*run)(const RunOptions&, StartReport*));

}  // namespace logstream::cli
