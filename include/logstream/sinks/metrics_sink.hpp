// MetricsSink: exports a stream's metrics: every observation as CSV, as it comes, and the
// MetricStore's summaries and series as JSON, periodically and at the end.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <logstream/export.hpp>
#include <logstream/metrics.hpp>
#include <logstream/sink.hpp>

namespace logstream {

struct LOGSTREAM_API MetricsSinkOptions {
  /// Every metric observation of the stream, one row each (`time,elapsed_s,seq,key,value`), in
  /// line order, appended as batches arrive and flushed at least every `interval`. Empty: none.
  std::filesystem::path csv_path{};
  /// The store's summaries and series (the series bounded by MetricsOptions::series_cap, its
  /// `series_dropped` counting what was cut), replaced atomically every `interval` while it
  /// changes, and at the end. Empty: none.
  std::filesystem::path json_path{};
  std::chrono::milliseconds interval = std::chrono::seconds(5);
};

/// Called by its sink actor only (see Sink). Export failures throw std::system_error naming the
/// path; the sink actor reports them as events and retires the sink.
///
/// With a CSV the sink is lossless (`block`): the CSV is written from the batches, so a batch
/// skipped would be rows lost. JSON alone reads the store, not the batches: losing batches loses
/// nothing, hence `drop_oldest`.
class LOGSTREAM_API MetricsSink : public Sink {
public:
  MetricsSink(std::shared_ptr<MetricStore> store, MetricsSinkOptions options);
  ~MetricsSink() override;

  /// Creates the CSV (its header) and writes the JSON once, so an unusable path is reported at
  /// the start.
  void open() override;
  /// Appends the batch's observations to the CSV; exports the JSON when `interval` passed since
  /// the last export and the store changed.
  void write(const LineBatch& batch) override;
  void flush() override;
  /// Writes the CSV's last rows and the final JSON.
  void close() override;
  OverflowPolicy overflow() const override;
  std::string name() const override { return "metrics"; }

  /// Exports the JSON and flushes the CSV now, whatever the interval.
  void export_now();
  std::uint64_t exports() const noexcept { return exports_; }

private:
  void write_csv_out();

  std::shared_ptr<MetricStore> store_;
  MetricsSinkOptions options_;
  std::chrono::steady_clock::time_point last_export_{};
  std::uint64_t exported_version_ = 0;
  std::uint64_t exports_ = 0;
  int csv_fd_ = -1;
  std::string csv_pending_;
};

}  // namespace logstream
