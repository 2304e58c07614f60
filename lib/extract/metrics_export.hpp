// Rendering a metrics snapshot as CSV and JSON, and writing files atomically (temp + rename).
#pragma once

#include <filesystem>
#include <string>

#include <logstream/metrics.hpp>

namespace logstream::extract {

/// `time,elapsed_s,seq,key,value`, one row per retained observation, in line order.
std::string metrics_csv(const MetricsSnapshot& snapshot);
/// The summary of every key plus its series; non-finite numbers become null.
std::string metrics_json(const MetricsSnapshot& snapshot);

/// Write via `<path>.tmp` and rename. Throw std::system_error naming `path` and the OS error.
void write_metrics_csv(const MetricsSnapshot& snapshot, const std::filesystem::path& path);
void write_metrics_json(const MetricsSnapshot& snapshot, const std::filesystem::path& path);

}  // namespace logstream::extract
