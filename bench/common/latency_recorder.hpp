// Write-to-read latency of stamped generator lines (" t=<CLOCK_MONOTONIC ns>"), and its percentiles.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace bench {

/// The stamp gen --stamp put at the end of the line, or -1.
inline std::int64_t line_stamp_ns(std::string_view text) {
  const auto at = text.rfind(" t=");
  if (at == std::string_view::npos || at + 3 == text.size()) return -1;
  std::int64_t ns = 0;
  for (const char c : text.substr(at + 3)) {
    if (c < '0' || c > '9') return -1;
    ns = ns * 10 + (c - '0');
  }
  return ns;
}

/// Collects one latency per line into storage reserved up front (no allocation while measuring).
/// Thread-bound: one reader thread adds; read the results after it stopped.
class LatencyRecorder {
public:
  explicit LatencyRecorder(std::size_t expected) { samples_ns_.reserve(expected); }

  void add(std::string_view text, std::int64_t now_ns) {
    const std::int64_t stamp = line_stamp_ns(text);
    if (stamp < 0) {
      ++unstamped_;
      return;
    }
    samples_ns_.push_back(now_ns - stamp);
  }

  std::size_t samples() const noexcept { return samples_ns_.size(); }
  std::size_t unstamped() const noexcept { return unstamped_; }

  /// JSON fields (no braces): samples and p50/p99/p999/max in microseconds (nearest rank).
  std::string summary_json() {
    std::sort(samples_ns_.begin(), samples_ns_.end());
    const auto at = [this](double q) -> double {
      if (samples_ns_.empty()) return 0;
      const auto rank = static_cast<std::size_t>(q * static_cast<double>(samples_ns_.size() - 1) + 0.5);
      return static_cast<double>(samples_ns_[rank]) / 1e3;
    };
    return fmt::format(R"("samples": {}, "p50_us": {:.1f}, "p99_us": {:.1f}, "p999_us": {:.1f}, "max_us": {:.1f})",
                       samples_ns_.size(), at(0.5), at(0.99), at(0.999), at(1.0));
  }

private:
  std::vector<std::int64_t> samples_ns_;
  std::size_t unstamped_ = 0;
};

}  // namespace bench
