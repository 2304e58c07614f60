// MetricStore: every numeric `key=value` / `key: value` a stream revealed, per key the latest
// value, min, max, count and a bounded time series. Shared by the extractor, sinks and queries.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <logstream/export.hpp>

namespace logstream {

struct LOGSTREAM_API MetricsOptions {
  std::size_t series_cap = 10000;  ///< points kept per key; older points are dropped (counted)
  std::size_t max_keys = 1024;     ///< distinct keys kept; observations of further keys are dropped
};

/// One observation of a metric.
struct LOGSTREAM_API MetricPoint {
  std::uint64_t seq = 0;         ///< the line it came from
  double seconds = 0;            ///< since the stream's start
  std::chrono::system_clock::time_point wall_time{};
  double value = 0;
};

/// The state of one key. `min`/`max` ignore NaN; they are NaN while only NaN was seen.
struct LOGSTREAM_API MetricSummary {
  std::string key;
  double latest = 0;
  double min = 0;
  double max = 0;
  std::uint64_t count = 0;           ///< every observation, including those the series dropped
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::uint64_t series_dropped = 0;  ///< oldest points dropped to keep the series under the cap
};

struct LOGSTREAM_API MetricSeries {
  MetricSummary summary;
  std::vector<MetricPoint> points;  ///< oldest first, at most series_cap
};

/// A consistent copy of a whole store, keys in first-seen order.
struct LOGSTREAM_API MetricsSnapshot {
  std::vector<MetricSeries> metrics;
  std::uint64_t dropped_observations = 0;  ///< refused because max_keys distinct keys existed
  std::uint64_t version = 0;
};

/// When and where an observation was made.
struct LOGSTREAM_API ObservationTime {
  std::uint64_t seq = 0;
  std::chrono::steady_clock::time_point arrival{};
  std::chrono::system_clock::time_point wall_time{};
};

/// Thread-safe: any thread may record and query; a mutex guards the keys, held briefly (one
/// lock per line however many metrics it holds). Recording a known key does not allocate.
class LOGSTREAM_API MetricStore {
public:
  struct Observation {
    std::string_view key;
    double value = 0;
  };

  explicit MetricStore(MetricsOptions options = {});
  ~MetricStore();
  MetricStore(const MetricStore&) = delete;
  MetricStore& operator=(const MetricStore&) = delete;

  /// Times of points are measured from here (the extractor sets the stream's start).
  void set_start(std::chrono::steady_clock::time_point start);
  std::chrono::steady_clock::time_point start() const;

  /// Records one line's observations. Returns how many were kept (the rest hit max_keys).
  std::size_t record(std::span<const Observation> observations, const ObservationTime& at);
  bool record(std::string_view key, double value, const ObservationTime& at);

  std::optional<MetricSummary> summary(std::string_view key) const;
  std::vector<MetricSummary> summaries() const;  ///< first-seen order
  std::vector<MetricPoint> series(std::string_view key) const;
  std::vector<std::string> keys() const;
  std::size_t size() const;
  MetricsSnapshot snapshot() const;

  std::uint64_t dropped_observations() const;
  /// Increases with every kept observation: lets exporters skip unchanged states.
  std::uint64_t version() const noexcept;
  const MetricsOptions& options() const noexcept { return options_; }

  /// One row per retained observation: `time,elapsed_s,seq,key,value` (time: UTC ISO-8601).
  std::string to_csv() const;
  /// `{"metrics": {key: {summary..., "series": [...]}}, "dropped_observations": n}`.
  /// NaN and infinities are written as null (JSON has no such numbers).
  std::string to_json() const;
  /// Write to a temporary file beside `path`, then rename: readers never see half a file.
  /// Throw std::system_error naming the path.
  void write_csv(const std::filesystem::path& path) const;
  void write_json(const std::filesystem::path& path) const;

private:
  // Defined in the library (lib/extract/metric_store.cpp): a key's state, and a slot of the
  // index that finds a key's entry.
  struct Entry;
  struct IndexSlot;

  Entry* find_or_add(std::string_view key);          // requires mutex_
  const Entry* find(std::string_view key) const;     // requires mutex_
  std::size_t probe(std::string_view key, std::uint32_t hash) const noexcept;  // requires mutex_
  void grow_index();                                 // requires mutex_

  MetricsOptions options_;
  mutable std::mutex mutex_;
  std::vector<IndexSlot> index_;
  std::vector<Entry> entries_;  // first-seen order
  std::chrono::steady_clock::time_point start_{};
  std::uint64_t dropped_observations_ = 0;
  std::atomic<std::uint64_t> version_{0};  // relaxed: a change hint for exporters, not a fence
};

}  // namespace logstream
