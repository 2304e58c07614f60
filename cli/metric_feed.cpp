// MetricFeed (see metric_feed.hpp).
#include "metric_feed.hpp"

#include <algorithm>

namespace logstream::cli {

std::vector<MetricObservation> MetricFeed::take(const MetricStore& store, std::uint64_t up_to_seq) {
  std::vector<MetricObservation> out;
  const std::uint64_t version = store.version();
  if (version == seen_version_ && !held_back_) return out;  // the cheap case: nothing new
  seen_version_ = version;
  held_back_ = false;
  for (const MetricSummary& summary : store.summaries()) {
    std::uint64_t& reported = reported_seq_[summary.key];
    if (summary.last_seq <= reported) continue;
    // Only a changed key costs a copy of its series (bounded by MetricsOptions::series_cap).
    for (const MetricPoint& point : store.series(summary.key)) {
      if (point.seq <= reported) continue;
      if (point.seq > up_to_seq) {
        held_back_ = true;
        break;
      }
      out.push_back(MetricObservation{summary.key, point});
    }
    if (!out.empty() && out.back().key == summary.key) reported = out.back().point.seq;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const MetricObservation& a, const MetricObservation& b) { return a.point.seq < b.point.seq; });
  return out;
}

}  // namespace logstream::cli
