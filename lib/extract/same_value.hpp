// Equality of extracted numbers for change detection, where NaN must equal itself: a score
// that stays NaN is no change, and no progress update may fire for it.
#pragma once

#include <cmath>
#include <optional>

namespace logstream::extract {

/// Equal, or both NaN.
inline bool same_value(double a, double b) noexcept { return a == b || (std::isnan(a) && std::isnan(b)); }

/// Other values (counts, names) are the same when equal.
template <typename A, typename B>
bool same_value(const A& a, const B& b) noexcept {
  return a == b;
}

/// Both empty, or both set to the same value (NaN included).
inline bool same_value(const std::optional<double>& a, const std::optional<double>& b) noexcept {
  return a.has_value() == b.has_value() && (!a || same_value(*a, *b));
}

}  // namespace logstream::extract
