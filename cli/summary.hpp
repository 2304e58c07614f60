// RunSummary: what a finished run reports (duration, lines, progress, exit status, files), and
// its text form printed at the end of `logstream run`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <logstream/process.hpp>
#include <logstream/progress.hpp>
#include <logstream/streamer.hpp>

namespace logstream::cli {

struct RunSummary {
  double duration_seconds = 0;
  StreamStats stats;
  TrainingProgress progress;
  std::optional<ExitStatus> exit;  ///< empty when the command never started
  int status = 0;                  ///< logstream's own exit status
  std::string start_error;         ///< why the command did not start
  std::filesystem::path log_file;
  std::vector<std::filesystem::path> metrics_files;
};

/// "position 3/6, trial 5/15, model XGBoost, score 0.4294"; "none" when nothing was seen.
std::string describe_progress(const TrainingProgress& progress);
/// "exit code 3" / "killed by signal 9 (SIGKILL)" / "did not start".
std::string describe_exit(const std::optional<ExitStatus>& exit);
/// The multi-line summary, each line ending in '\n'.
std::string format_summary(const RunSummary& summary);

}  // namespace logstream::cli
