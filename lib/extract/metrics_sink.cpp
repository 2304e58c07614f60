// MetricsSink: the streamed CSV of every observation, and periodic and final JSON exports.
#include <logstream/sinks/metrics_sink.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <fmt/format.h>

#include <logstream/line_batch.hpp>

#include "extract/metrics_export.hpp"
#include "io/write_all.hpp"

namespace logstream {
namespace {

constexpr std::size_t csv_flush_bytes = 64 * 1024;

}  // namespace

MetricsSink::MetricsSink(std::shared_ptr<MetricStore> store, MetricsSinkOptions options)
    : store_(std::move(store)), options_(std::move(options)) {}

MetricsSink::~MetricsSink() {
  if (csv_fd_ >= 0) ::close(csv_fd_);
}

OverflowPolicy MetricsSink::overflow() const {
  return options_.csv_path.empty() ? OverflowPolicy::drop_oldest : OverflowPolicy::block;
}

void MetricsSink::open() {
  if (!options_.csv_path.empty()) {
    csv_fd_ = ::open(options_.csv_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (csv_fd_ < 0)
      throw std::system_error(errno, std::generic_category(),
                              fmt::format("cannot write metrics file '{}'", options_.csv_path.string()));
    csv_pending_ = extract::metrics_csv_header();
    write_csv_out();
  }
  export_now();
}

void MetricsSink::write(const LineBatch& batch) {
  if (csv_fd_ >= 0 && !batch.metrics().empty()) {
    extract::append_metrics_csv_rows(csv_pending_, batch, store_->start());
    if (csv_pending_.size() >= csv_flush_bytes) write_csv_out();
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_export_ < options_.interval) return;
  if (store_->version() == exported_version_ && csv_pending_.empty()) return;  // nothing new
  export_now();
}

void MetricsSink::flush() { write_csv_out(); }

void MetricsSink::close() {
  export_now();
  if (csv_fd_ >= 0) {
    int fd = csv_fd_;
    csv_fd_ = -1;
    if (::close(fd) != 0 && errno != EINTR)
      throw std::system_error(errno, std::generic_category(),
                              fmt::format("cannot write metrics file '{}'", options_.csv_path.string()));
  }
}

void MetricsSink::export_now() {
  last_export_ = std::chrono::steady_clock::now();
  write_csv_out();
  if (!options_.json_path.empty()) {
    const MetricsSnapshot snapshot = store_->snapshot();
    exported_version_ = snapshot.version;
    extract::write_metrics_json(snapshot, options_.json_path);
  } else {
    exported_version_ = store_->version();
  }
  ++exports_;
}

void MetricsSink::write_csv_out() {
  if (csv_fd_ < 0 || csv_pending_.empty()) return;
  const io::WriteResult result = io::write_all(csv_fd_, csv_pending_);
  // Cleared on failure too: a later flush must not write the same rows twice.
  csv_pending_.clear();
  if (!result.ok())
    throw std::system_error(result.error, std::generic_category(),
                            fmt::format("cannot write metrics file '{}'", options_.csv_path.string()));
}

}  // namespace logstream
