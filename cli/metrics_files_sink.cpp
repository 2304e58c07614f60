// MetricsFilesSink (see metrics_files_sink.hpp).
#include "metrics_files_sink.hpp"

#include <stdexcept>

namespace logstream::cli {

MetricsFilesSink::MetricsFilesSink(const Streamer& streamer, MetricsSinkOptions options)
    : streamer_(streamer), options_(std::move(options)) {}

void MetricsFilesSink::open() {
  auto store = streamer_.get_metrics();
  if (!store) throw std::logic_error("the stream has no metric store");
  sink_ = std::make_unique<MetricsSink>(std::move(store), options_);
  sink_->open();
}

void MetricsFilesSink::write(const LineBatch& batch) {
  if (sink_) sink_->write(batch);
}

void MetricsFilesSink::close() {
  if (sink_) sink_->close();
}

}  // namespace logstream::cli
