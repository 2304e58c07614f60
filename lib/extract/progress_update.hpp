// ProgressUpdate: what one line said about progress, as views into the line; the default
// scanner and the user rules fill it, apply_update() folds it into a TrainingProgress.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include <logstream/line.hpp>
#include <logstream/progress.hpp>
#include <logstream/rules.hpp>

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

  bool empty() const noexcept;
  /// Back to empty, one field at a time: assigning `{}` zeroes the whole struct.
  void clear() noexcept;
};

/// One progress field a line can set: its name (the JSON key and the rule group that feeds it)
/// and where it lives in a TrainingProgress and in a ProgressUpdate.
template <typename Stored, typename Found>
struct ProgressField {
  const char* name;
  RuleField rule_field;
  std::optional<Stored> TrainingProgress::*stored;
  std::optional<Found> ProgressUpdate::*found;
};

/// The progress fields, once: folding an update, comparing snapshots, the JSON object and the
/// rules' group names follow this table (is_best and the bar have rules of their own).
inline constexpr std::tuple progress_fields{
    ProgressField<std::int64_t, std::int64_t>{"position", RuleField::position, &TrainingProgress::position,
                                              &ProgressUpdate::position},
    ProgressField<std::int64_t, std::int64_t>{"total_positions", RuleField::total_positions,
                                              &TrainingProgress::total_positions, &ProgressUpdate::total_positions},
    ProgressField<std::string, std::string_view>{"model", RuleField::model, &TrainingProgress::model_name,
                                                 &ProgressUpdate::model},
    ProgressField<std::int64_t, std::int64_t>{"trial", RuleField::trial, &TrainingProgress::trial,
                                              &ProgressUpdate::trial},
    ProgressField<std::int64_t, std::int64_t>{"total_trials", RuleField::total_trials,
                                              &TrainingProgress::total_trials, &ProgressUpdate::total_trials},
    ProgressField<double, double>{"score", RuleField::score, &TrainingProgress::score, &ProgressUpdate::score},
    ProgressField<double, double>{"best_score", RuleField::best_score, &TrainingProgress::best_score,
                                  &ProgressUpdate::best_score},
};

/// Calls `visit(field)` for each entry of progress_fields, in order.
template <typename Visit>
constexpr void for_each_progress_field(Visit&& visit) {
  std::apply([&](const auto&... field) { (visit(field), ...); }, progress_fields);
}

inline bool ProgressUpdate::empty() const noexcept {
  bool any = trial_began || best;
  for_each_progress_field([&](const auto& field) { any = any || (this->*field.found).has_value(); });
  return !any;
}

inline void ProgressUpdate::clear() noexcept {
  for_each_progress_field([&](const auto& field) { (this->*field.found).reset(); });
  trial_began = best = false;
}

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
