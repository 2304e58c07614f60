// tqdm progress bars: the generic progress of any loop a training script wraps in tqdm.
// Bars usually arrive as CR-overwritten transient lines; each one is an update.
#pragma once

#include <optional>
#include <string_view>

#include "extract/progress_update.hpp"

namespace logstream::extract {

/// Parses tqdm's standard meter, with or without a total:
///   "desc:  45%|####5     | 45/100 [00:01<00:02, 30.0it/s, loss=0.4]"
///   " 45%|████▌     | 45/100 [00:01<00:02,  2.50s/it]"
///   "desc: 45it [00:01, 30.0it/s]"
/// Counts with SI suffixes ("4.50k") are scaled by 1000; the rate keeps its unit as printed.
/// Leading ANSI cursor moves (nested bars) are skipped. Empty when the line is no tqdm meter.
std::optional<BarView> parse_bar(std::string_view text) noexcept;

}  // namespace logstream::extract
