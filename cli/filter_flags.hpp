// The filter flags (options.hpp FilterFlags) as the library's LineFilter.
#pragma once

#include <optional>

#include <logstream/filter.hpp>

#include "options.hpp"

namespace logstream::cli {

/// Throws PatternError for a --grep or --exclude pattern that does not compile.
LineFilter make_filter(const FilterFlags& flags);
/// make_filter, or empty after saying why not (the command then exits with usage_status).
std::optional<LineFilter> filter_or_say(const FilterFlags& flags);

/// Whether shown lines that are not consecutive get a `--` line between them (grep's group
/// separator): with context lines, where a jump is worth seeing.
bool separates_groups(const LineFilter& filter);

}  // namespace logstream::cli
