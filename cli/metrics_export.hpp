// MetricsExport: one MetricsSink per file (--metrics-csv, --metrics-json), named after it, so
// that a path that cannot be written retires its own export only and the run can say which.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <logstream/sinks/metrics_sink.hpp>

namespace logstream::cli {

class MetricsExport : public MetricsSink {
public:
  MetricsExport(std::shared_ptr<MetricStore> store, MetricsSinkOptions options, const std::filesystem::path& path)
      : MetricsSink(std::move(store), std::move(options)), name_(sink_name(path)) {}
  std::string name() const override { return name_; }

  static std::string sink_name(const std::filesystem::path& path) { return "metrics:" + path.string(); }

private:
  std::string name_;
};

}  // namespace logstream::cli
