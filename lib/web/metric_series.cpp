#include "web/metric_series.hpp"

#include <algorithm>
#include <cmath>

namespace logstream::web {
namespace {

// Two points per bucket: a bucket of `points / 2` buckets spans count / (points / 2) values.
std::uint64_t bucket_size_for(std::uint64_t count, std::size_t points) {
  const std::uint64_t buckets = std::max<std::uint64_t>(1, points / 2);
  return std::max<std::uint64_t>(1, (count + buckets - 1) / buckets);
}

// NaN compares false both ways: it never replaces a number as a bucket's minimum or maximum.
bool lower(double a, double b) { return std::isnan(b) || (!std::isnan(a) && a < b); }
bool higher(double a, double b) { return std::isnan(b) || (!std::isnan(a) && a > b); }

}  // namespace

MetricSeries::MetricSeries(const std::vector<MetricSummary>& summaries, std::size_t points) : points_(std::max<std::size_t>(points, 2)) {
  for (const MetricSummary& summary : summaries) {
    index_.emplace(summary.key, series_.size());
    series_.push_back(Series{.key = summary.key, .bucket_size = bucket_size_for(summary.count, points_)});
  }
}

void MetricSeries::add(const extract::MetricsCsvRow& row) {
  auto [it, inserted] = index_.emplace(row.key, series_.size());
  if (inserted) series_.push_back(Series{.key = row.key});
  extend(series_[it->second], Point{row.seq, row.elapsed_s, row.value});
}

void MetricSeries::extend(Series& s, const Point& point) {
  if (!s.has_bucket) {
    s.low = s.high = point;
    s.has_bucket = true;
  } else {
    if (lower(point.value, s.low.value)) s.low = point;
    if (higher(point.value, s.high.value)) s.high = point;
  }
  if (++s.in_bucket >= s.bucket_size) close_bucket(s);
}

void MetricSeries::close_bucket(Series& s) {
  if (!s.has_bucket) return;
  if (s.low.seq == s.high.seq) {
    s.kept.push_back(s.low);
  } else if (s.low.seq < s.high.seq) {
    s.kept.push_back(s.low);
    s.kept.push_back(s.high);
  } else {
    s.kept.push_back(s.high);
    s.kept.push_back(s.low);
  }
  s.has_bucket = false;
  s.in_bucket = 0;
  if (s.kept.size() > 2 * points_) compact(s);
}

// More observations than the snapshot said (the run went on): buckets twice as large, the
// points kept so far re-bucketed as observations.
void MetricSeries::compact(Series& s) {
  std::vector<Point> old = std::move(s.kept);
  s.kept.clear();
  s.bucket_size *= 2;
  const std::uint64_t size = s.bucket_size;
  s.bucket_size = 4;  // the old points: two per old bucket, so four make a new bucket
  for (const Point& p : old) extend(s, p);
  close_bucket(s);
  s.bucket_size = size;
}

json::Json MetricSeries::json() {
  json::Json out = json::Json::array();
  for (Series& s : series_) {
    close_bucket(s);
    json::Json seq = json::Json::array(), t = json::Json::array(), value = json::Json::array();
    for (const Point& p : s.kept) {
      seq.push_back(p.seq);
      t.push_back(p.t);
      value.push_back(json::number(p.value));
    }
    out.push_back(json::Json{{"key", s.key}, {"seq", std::move(seq)}, {"t", std::move(t)}, {"value", std::move(value)}});
  }
  return out;
}

}  // namespace logstream::web
