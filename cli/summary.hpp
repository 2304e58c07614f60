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
  /// Why the log file lacks lines (a write failed: disk full, file size limit); empty: complete.
  std::string log_error;
  std::vector<std::filesystem::path> metrics_files;   ///< exports written
  std::vector<std::filesystem::path> metrics_failed;  ///< exports that failed (reported as they did)
  /// Why stdout did not get all the output (see Output::failure); empty: it did.
  std::string output_error;
  /// logstream gave up waiting for output that could not be written (a second stop signal).
  bool gave_up = false;
};

/// "position 3/6, trial 5/15, model XGBoost, score 0.4294"; "none" when nothing was seen.
std::string describe_progress(const TrainingProgress& progress);
/// "SIGTERM"; "signal 77" for a number without a name.
std::string signal_name(int signo);
/// "exit code 3" / "killed by signal 9 (SIGKILL)" / "did not start".
std::string describe_exit(const std::optional<ExitStatus>& exit);
/// The multi-line summary, each line ending in '\n'.
std::string format_summary(const RunSummary& summary);

}  // namespace logstream::cli
