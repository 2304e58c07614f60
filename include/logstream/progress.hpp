// TrainingProgress: what the extractor learned from the log so far (the seed's data class).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <logstream/export.hpp>

namespace logstream {

/// A tqdm-style bar's latest state (` 45%|####5     | 45/100 [00:01<00:02, 30.0it/s]`).
struct LOGSTREAM_API BarProgress {
  std::string description;                 ///< text before the percentage, without ": "
  double current = 0;
  std::optional<double> total;             ///< absent for bars without a total
  std::optional<double> rate;              ///< in `rate_unit`
  std::string rate_unit;                   ///< "it/s", "s/it", "MB/s", ...
  std::optional<double> elapsed_seconds;
  std::optional<double> remaining_seconds;

  double fraction() const noexcept;  ///< current/total clamped to [0, 1]; 0 without a total
  bool operator==(const BarProgress&) const = default;
};

/// A snapshot of the progress a stream's lines revealed. A value type: copy it freely.
/// Fields that were never seen are empty optionals, distinguishable from zero.
struct LOGSTREAM_API TrainingProgress {
  std::optional<std::int64_t> position;
  std::optional<std::int64_t> total_positions;
  std::optional<std::string> model_name;
  std::optional<std::int64_t> trial;
  std::optional<std::int64_t> total_trials;
  std::optional<double> score;       ///< the latest score seen
  std::optional<double> best_score;  ///< the best score announced by a BEST line
  bool is_best = false;              ///< the latest trial is the best so far
  std::optional<BarProgress> bar;    ///< the latest tqdm bar

  std::chrono::steady_clock::time_point start_time{};   ///< the stream's start
  std::optional<std::chrono::steady_clock::time_point> last_update;
  std::optional<std::chrono::steady_clock::time_point> end_time;  ///< set when the stream ended
  std::uint64_t updates = 0;  ///< how many times a field changed

  /// Time since the stream's start (until its end once it ended), as "HH:MM:SS".
  std::string elapsed_time() const;
  std::chrono::steady_clock::duration elapsed() const;
  /// position / total_positions in [0, 1]; 0 when either is unknown or the total is 0.
  double position_progress() const noexcept;
  /// trial / total_trials in [0, 1]; 0 when either is unknown or the total is 0.
  double trial_progress() const noexcept;

  /// Equal when every extracted field is equal (times and the update count are ignored).
  bool same_fields(const TrainingProgress& other) const noexcept;
};

}  // namespace logstream
