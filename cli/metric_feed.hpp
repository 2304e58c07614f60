// MetricFeed: turns a MetricStore into a stream of new observations, for the JSON "metric" events.
// The store keeps summaries and series; this remembers, per key, the last line already reported.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <logstream/metrics.hpp>

namespace logstream::cli {

struct MetricObservation {
  std::string key;
  MetricPoint point;
};

/// Thread-bound: one thread calls take() (the JSON sink's actor, then the main thread at the end,
/// after the stream completed).
class MetricFeed {
public:
  /// Observations not returned before that came from lines up to `up_to_seq`, in line order.
  /// Later ones stay for a later call: the extractor runs ahead of the sinks, and a metric must
  /// not be reported before the line that holds it.
  std::vector<MetricObservation> take(const MetricStore& store, std::uint64_t up_to_seq);

private:
  std::unordered_map<std::string, std::uint64_t> reported_seq_;  // per key, the last line reported
  std::uint64_t seen_version_ = 0;
  bool held_back_ = false;  // observations past up_to_seq wait in the store
};

}  // namespace logstream::cli
