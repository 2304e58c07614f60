// RateMeter: lines per second over the last few seconds, from counts sampled at each redraw.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>

namespace logstream::cli {

/// Thread-bound: the redraw thread samples and reads it.
class RateMeter {
public:
  using Clock = std::chrono::steady_clock;

  explicit RateMeter(Clock::duration window = std::chrono::seconds(3)) : window_(window) {}

  /// Records the running total `count` at `now`; returns the rate over the window.
  double sample(std::uint64_t count, Clock::time_point now) {
    samples_.emplace_back(now, count);
    while (samples_.size() > 2 && now - samples_[1].first >= window_) samples_.pop_front();
    const auto& [then, old] = samples_.front();
    const double seconds = std::chrono::duration<double>(now - then).count();
    return seconds > 0.2 ? static_cast<double>(count - old) / seconds : 0.0;
  }

private:
  Clock::duration window_;
  std::deque<std::pair<Clock::time_point, std::uint64_t>> samples_;
};

}  // namespace logstream::cli
