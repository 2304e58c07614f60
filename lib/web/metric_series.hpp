// MetricSeries: the points of a run's metrics (its metrics.csv) decimated for a chart: at most
// about `points` per key, each bucket of consecutive observations kept as its minimum and its
// maximum, in seq order, so that a spike survives however long the run. Memory: O(points) per
// key, whatever the number of observations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <logstream/metrics.hpp>

#include "extract/metrics_export.hpp"
#include "json/json.hpp"

namespace logstream::web {

class MetricSeries {
public:
  /// `summaries`: what the run's snapshot knows (each key's count sizes its buckets).
  MetricSeries(const std::vector<MetricSummary>& summaries, std::size_t points);

  void add(const extract::MetricsCsvRow& row);
  /// [{"key","seq":[...],"t":[...],"value":[...]}], keys in first-seen order; columns, as charts
  /// take them.
  json::Json json();

private:
  struct Point {
    std::uint64_t seq;
    double t;
    double value;
  };
  struct Series {
    std::string key;
    std::uint64_t bucket_size = 1;
    std::uint64_t in_bucket = 0;
    bool has_bucket = false;
    Point low{}, high{};
    std::vector<Point> kept;
  };

  void extend(Series& series, const Point& point);
  void close_bucket(Series& series);
  void compact(Series& series);

  std::size_t points_;
  std::vector<Series> series_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace logstream::web
