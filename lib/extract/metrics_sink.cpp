// MetricsSink: periodic and final CSV/JSON exports of a stream's metric store.
#include <logstream/sinks/metrics_sink.hpp>

#include "extract/metrics_export.hpp"

namespace logstream {

MetricsSink::MetricsSink(std::shared_ptr<MetricStore> store, MetricsSinkOptions options)
    : store_(std::move(store)), options_(std::move(options)) {}

void MetricsSink::open() { export_now(); }

void MetricsSink::write(const LineBatch& /*batch*/) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_export_ < options_.interval) return;
  if (store_->version() == exported_version_) return;  // nothing new since the last export
  export_now();
}

void MetricsSink::close() { export_now(); }

void MetricsSink::export_now() {
  // One snapshot for both files, so they agree with each other.
  const MetricsSnapshot snapshot = store_->snapshot();
  last_export_ = std::chrono::steady_clock::now();
  exported_version_ = snapshot.version;
  if (!options_.csv_path.empty()) extract::write_metrics_csv(snapshot, options_.csv_path);
  if (!options_.json_path.empty()) extract::write_metrics_json(snapshot, options_.json_path);
  ++exports_;
}

}  // namespace logstream
