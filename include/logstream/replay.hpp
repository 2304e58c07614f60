// replay(): the same extraction a stream runs, over a log file written before logstream watched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include <logstream/export.hpp>
#include <logstream/metrics.hpp>
#include <logstream/progress.hpp>
#include <logstream/rules.hpp>

namespace logstream {

struct LOGSTREAM_API ReplayOptions {
  bool default_rules = true;
  bool metrics = true;
  MetricsOptions metrics_options{};
  std::size_t max_line_bytes = 1 << 20;  ///< longer lines are cut into `continued` pieces
};

struct LOGSTREAM_API ReplayResult {
  TrainingProgress progress;
  std::shared_ptr<MetricStore> metrics;
  std::uint64_t lines = 0;  ///< lines fed, CR-overwritten segments included
};

/// Frames the file as a stream would (LF, CRLF, and lone-CR segments as transient updates) and
/// feeds every line to a ProgressExtractor. Reentrant. Throws std::system_error naming the path
/// when the file cannot be read.
LOGSTREAM_API ReplayResult replay(const std::filesystem::path& path, const RuleSet& rules = {},
                    const ReplayOptions& options = {});

}  // namespace logstream
