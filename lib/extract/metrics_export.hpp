// Rendering a metrics snapshot as CSV and JSON, and writing files atomically (temp + rename).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <logstream/line_batch.hpp>
#include <logstream/metrics.hpp>

namespace logstream::extract {

/// `time,elapsed_s,seq,key,value`, one row per retained observation, in line order.
std::string metrics_csv(const MetricsSnapshot& snapshot);
/// The summary of every key plus its series; non-finite numbers become null.
std::string metrics_json(const MetricsSnapshot& snapshot);

/// The CSV's header line, and one row (`time,elapsed_s,seq,key,value\n`): the one definition of
/// a CSV row, for the snapshot and for the streamed file of MetricsSink.
std::string_view metrics_csv_header();
/// `when` is the row's first two fields, "time,elapsed_s" (metrics_csv_when): the same for every
/// row of a batch, so formatted once.
std::string metrics_csv_when(std::chrono::system_clock::time_point wall_time, double seconds);
void append_metrics_csv_row(std::string& out, std::string_view when, std::uint64_t seq, std::string_view key, double value);
/// The rows of a batch's metric observations (the hot path of the streamed CSV files): the
/// batch's time is formatted once; `elapsed_s` counts from `start`.
void append_metrics_csv_rows(std::string& out, const LineBatch& batch, std::chrono::steady_clock::time_point start);

/// A row read back (the store's metrics.csv, read by the web server).
struct MetricsCsvRow {
  std::string time;  ///< ISO-8601 UTC, as written
  double elapsed_s = 0;
  std::uint64_t seq = 0;
  std::string key;
  double value = 0;
};
/// One row without its newline; empty for the header or a malformed row.
std::optional<MetricsCsvRow> parse_metrics_csv_row(std::string_view row);

/// Write via `<path>.tmp` and rename. Throw std::system_error naming `path` and the OS error.
void write_metrics_csv(const MetricsSnapshot& snapshot, const std::filesystem::path& path);
void write_metrics_json(const MetricsSnapshot& snapshot, const std::filesystem::path& path);

}  // namespace logstream::extract
