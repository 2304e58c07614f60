// TrainingProgress and BarProgress: the derived values (elapsed time, fractions) of the
// progress a stream revealed.
#include <logstream/progress.hpp>

#include <algorithm>

#include "extract/progress_update.hpp"
#include "extract/same_value.hpp"
#include "text/time_format.hpp"

namespace logstream {
namespace {

double clamped_fraction(double current, double total) noexcept {
  if (!(total > 0) || !(current > 0)) return 0.0;  // also rejects NaN
  return std::clamp(current / total, 0.0, 1.0);
}

double fraction_of(const std::optional<std::int64_t>& current,
                   const std::optional<std::int64_t>& total) noexcept {
  if (!current || !total) return 0.0;
  return clamped_fraction(static_cast<double>(*current), static_cast<double>(*total));
}

}  // namespace

double BarProgress::fraction() const noexcept {
  return total ? clamped_fraction(current, *total) : 0.0;
}

std::chrono::steady_clock::duration TrainingProgress::elapsed() const {
  using clock = std::chrono::steady_clock;
  if (start_time == clock::time_point{}) return clock::duration::zero();  // never started
  const clock::time_point end = end_time.value_or(clock::now());
  return end > start_time ? end - start_time : clock::duration::zero();
}

std::string TrainingProgress::elapsed_time() const {
  const auto total = std::chrono::duration_cast<std::chrono::seconds>(elapsed()).count();
  return text::format_hms(total);
}

double TrainingProgress::position_progress() const noexcept {
  return fraction_of(position, total_positions);
}

double TrainingProgress::trial_progress() const noexcept {
  return fraction_of(trial, total_trials);
}

bool TrainingProgress::same_fields(const TrainingProgress& other) const noexcept {
  bool same = is_best == other.is_best && bar == other.bar;
  extract::for_each_progress_field(
      [&](const auto& field) { same = same && extract::same_value(this->*field.stored, other.*field.stored); });
  return same;
}

}  // namespace logstream
