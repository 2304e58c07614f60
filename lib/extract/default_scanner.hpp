// The default scanner: the seed's patterns and Optuna's trial lines, hand-written because it
// runs on every line. No regex engine, no allocation; it searches only for the keywords whose
// bytes the line holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "extract/progress_update.hpp"

namespace logstream::extract {

/// What the default scanner found beyond progress fields.
struct DefaultScan {
  ProgressUpdate update;
  /// Optuna's "Trial N finished with value: V": the objective, recorded as metric "value"
  /// instead of tokenizing the line (its parameters are inputs, not metrics).
  std::optional<double> optuna_value;
};

/// Scans one line for:
///   Position 1/6                         position, total_positions
///   === XGBoost Position 1 ===           model_name (and position)
///   Trial 1/15: Score=0.1502             trial, total_trials (a trial begins)
///   Score=0.1502, Test Score: 0.4294     score (the first one on the line)
///   [BEST], NEW BEST                     is_best; best_score from the line's score
///   Trial 5 finished with value: 0.83 and parameters: {...}. Best is trial 3 with value: 0.91.
/// Keywords are case-sensitive except the first letter of "score". Numbers that do not fit
/// their field are ignored. Returns true when anything was found.
bool scan_default(std::string_view text, DefaultScan& out) noexcept;
/// The same, given the line's line_bytes(): keywords whose bytes are absent are not searched.
bool scan_default(std::string_view text, std::uint8_t bytes, DefaultScan& out) noexcept;

}  // namespace logstream::extract
