// How much of its workload a test runs: LOGSTREAM_TEST_SCALE, 1 by default (./dev test sets 0.1
// for the sanitizer builds, whose code runs several times slower), never below a floor under
// which the test would no longer show what it is for.
#pragma once

#include <algorithm>
#include <cstdlib>

inline double test_scale() {
  static const double scale = [] {
    const char* text = std::getenv("LOGSTREAM_TEST_SCALE");
    return text && *text ? std::atof(text) : 1.0;
  }();
  return scale;
}

/// `full` at the test's scale, at least `floor`.
template <typename T>
T scaled(T full, T floor) {
  return std::max(floor, static_cast<T>(static_cast<double>(full) * test_scale()));
}
