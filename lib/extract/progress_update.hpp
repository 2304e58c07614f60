// ProgressUpdate: what one line said about progress, as views into the line; the default
// scanner and the user rules fill it, apply_update() folds it into a TrainingProgress.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <logstream/line.hpp>
#include <logstream/progress.hpp>

namespace logstream::extract {

/// The longest model name a line may set (a longer "name" is a sentence, not a model).
inline constexpr std::size_t max_model_bytes = 256;

struct ProgressUpdate {
  std::optional<std::int64_t> position;
  std::optional<std::int64_t> total_positions;
  std::optional<std::string_view> model;  // at most max_model_bytes
  std::optional<std::int64_t> trial;
  std::optional<std::int64_t> total_trials;
  std::optional<double> score;
  std::optional<double> best_score;
  bool trial_began = false;  ///< a trial line: the previous trial's is_best no longer holds
  bool best = false;         ///< the line announces the latest trial as the best
  /// A user rule's `level` group: the line's level, not progress (neither empty() nor clear()
  /// look at it; the extractor takes it out).
  std::optional<Level> level;

  bool empty() const noexcept {
    return !position && !total_positions && !model && !trial && !total_trials && !score &&
           !best_score && !trial_began && !best;
  }
  /// Back to empty, one flag at a time: assigning `{}` zeroes the whole struct.
  void clear() noexcept {
    position.reset();
    total_positions.reset();
    model.reset();
    trial.reset();
    total_trials.reset();
    score.reset();
    best_score.reset();
    trial_began = best = false;
  }
};

/// A tqdm bar as views into its line (see parse_bar).
struct BarView {
  std::string_view description;
  double current = 0;
  std::optional<double> total;
  std::optional<double> rate;
  std::string_view rate_unit;
  std::optional<double> elapsed_seconds;
  std::optional<double> remaining_seconds;
  std::string_view postfix;  ///< tqdm's set_postfix text after the rate ("loss=0.43, acc=0.8")
};

/// Folds `update` into `progress`: a trial line clears is_best first, then a best announcement
/// sets it; best_score comes from the line, else from the latest score. Returns true when a
/// field changed. Allocates only when the model name changes.
bool apply_update(TrainingProgress& progress, const ProgressUpdate& update);

/// Replaces the bar state; true when anything differs from the current one.
bool apply_bar(TrainingProgress& progress, const BarView& bar);

}  // namespace logstream::extract
