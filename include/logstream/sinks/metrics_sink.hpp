// MetricsSink: exports a stream's MetricStore to CSV and/or JSON, periodically and at the end.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <logstream/metrics.hpp>
#include <logstream/sink.hpp>

namespace logstream {

struct MetricsSinkOptions {
  std::filesystem::path csv_path{};   ///< empty: no CSV
  std::filesystem::path json_path{};  ///< empty: no JSON
  std::chrono::milliseconds interval = std::chrono::seconds(5);  ///< between periodic exports
};

/// Reads the store, not the batches: losing batches loses nothing, hence drop_oldest.
/// Called by its sink actor only (see Sink). Export failures throw std::system_error naming the
/// path; the sink actor reports them as events.
class MetricsSink : public Sink {
public:
  MetricsSink(std::shared_ptr<MetricStore> store, MetricsSinkOptions options);

  /// Writes the (possibly empty) files once, so an unusable path is reported at the start.
  void open() override;
  /// Exports when `interval` passed since the last export and the store changed.
  void write(const LineBatch& batch) override;
  /// Exports the final state.
  void close() override;
  OverflowPolicy overflow() const override { return OverflowPolicy::drop_oldest; }
  std::string name() const override { return "metrics"; }

  /// Exports now, whatever the interval.
  void export_now();
  std::uint64_t exports() const noexcept { return exports_; }

private:
  std::shared_ptr<MetricStore> store_;
  MetricsSinkOptions options_;
  std::chrono::steady_clock::time_point last_export_{};
  std::uint64_t exported_version_ = 0;
  std::uint64_t exports_ = 0;
};

}  // namespace logstream
