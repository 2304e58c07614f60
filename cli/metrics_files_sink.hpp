// MetricsFilesSink: --metrics-csv / --metrics-json. A MetricsSink needs the stream's MetricStore,
// which exists only once start() ran, while sinks must be added before: this sink builds the
// MetricsSink in open(), when the store exists, and forwards every call to it.
#pragma once

#include <memory>

#include <logstream/sinks/metrics_sink.hpp>
#include <logstream/streamer.hpp>

namespace logstream::cli {

class MetricsFilesSink : public Sink {
public:
  /// `streamer` must outlive the stream.
  MetricsFilesSink(const Streamer& streamer, MetricsSinkOptions options);

  void open() override;
  void write(const LineBatch& batch) override;
  void close() override;
  OverflowPolicy overflow() const override { return OverflowPolicy::drop_oldest; }
  std::string name() const override { return "metrics"; }

private:
  const Streamer& streamer_;
  MetricsSinkOptions options_;
  std::unique_ptr<MetricsSink> sink_;
};

}  // namespace logstream::cli
