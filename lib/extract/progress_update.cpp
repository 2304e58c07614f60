// Folding one line's findings into the TrainingProgress, with change detection so that
// on_progress_update fires on changes only.
#include "extract/progress_update.hpp"

#include "extract/same_value.hpp"

namespace logstream::extract {
namespace {

template <typename T>
bool assign(std::optional<T>& field, const std::optional<T>& value) {
  if (!value || field == value) return false;
  field = value;
  return true;
}

bool assign_double(std::optional<double>& field, const std::optional<double>& value) noexcept {
  if (!value || same_value(field, value)) return false;
  field = value;
  return true;
}

bool assign_text(std::string& field, std::string_view value) {
  if (field == value) return false;
  field.assign(value);
  return true;
}

}  // namespace

bool apply_update(TrainingProgress& progress, const ProgressUpdate& update) {
  bool changed = false;
  changed |= assign(progress.position, update.position);
  changed |= assign(progress.total_positions, update.total_positions);
  if (update.model && (!progress.model_name || *progress.model_name != *update.model)) {
    progress.model_name.emplace(*update.model);
    changed = true;
  }
  changed |= assign(progress.trial, update.trial);
  changed |= assign(progress.total_trials, update.total_trials);
  changed |= assign_double(progress.score, update.score);

  bool is_best = progress.is_best;
  if (update.trial_began) is_best = false;
  if (update.best) is_best = true;
  if (is_best != progress.is_best) {
    progress.is_best = is_best;
    changed = true;
  }
  std::optional<double> best_score = update.best_score;
  if (!best_score && update.best) best_score = update.score ? update.score : progress.score;
  changed |= assign_double(progress.best_score, best_score);
  return changed;
}

bool apply_bar(TrainingProgress& progress, const BarView& view) {
  bool changed = !progress.bar;  // the first bar is a change even with default fields
  if (!progress.bar) progress.bar.emplace();
  BarProgress& bar = *progress.bar;
  changed |= assign_text(bar.description, view.description);
  if (!same_value(bar.current, view.current)) {
    bar.current = view.current;
    changed = true;
  }
  auto assign_optional = [&](std::optional<double>& field, const std::optional<double>& value) {
    if (same_value(field, value)) return;
    field = value;
    changed = true;
  };
  assign_optional(bar.total, view.total);
  assign_optional(bar.rate, view.rate);
  changed |= assign_text(bar.rate_unit, view.rate_unit);
  assign_optional(bar.elapsed_seconds, view.elapsed_seconds);
  assign_optional(bar.remaining_seconds, view.remaining_seconds);
  return changed;
}

}  // namespace logstream::extract

