// Folding one line's findings into the TrainingProgress, with change detection so that
// on_progress_update fires on changes only.
#include "extract/progress_update.hpp"

#include "extract/same_value.hpp"

namespace logstream::extract {
namespace {

// Sets `field` to a found value that differs from it (NaN counts as equal to NaN).
template <typename Stored, typename Found>
bool assign(std::optional<Stored>& field, const std::optional<Found>& value) {
  if (!value || (field && same_value(*field, *value))) return false;
  field.emplace(*value);
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
  for_each_progress_field([&](const auto& field) {
    // best_score also follows from a best announcement, below
    if (field.rule_field != RuleField::best_score) changed |= assign(progress.*field.stored, update.*field.found);
  });

  bool is_best = progress.is_best;
  if (update.trial_began) is_best = false;
  if (update.best) is_best = true;
  if (is_best != progress.is_best) {
    progress.is_best = is_best;
    changed = true;
  }
  std::optional<double> best_score = update.best_score;
  if (!best_score && update.best) best_score = update.score ? update.score : progress.score;
  changed |= assign(progress.best_score, best_score);
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

