// logstream: run a command, stream its output as lines, progress and metrics, to any sinks.
// This umbrella header gives the whole public API.
#pragma once

#include <logstream/alerts.hpp>
#include <logstream/error.hpp>
#include <logstream/events.hpp>
#include <logstream/export.hpp>
#include <logstream/extractor.hpp>
#include <logstream/filter.hpp>
#include <logstream/framing.hpp>
#include <logstream/line.hpp>
#include <logstream/line_batch.hpp>
#include <logstream/log_buffer.hpp>
#include <logstream/metrics.hpp>
#include <logstream/output_queue.hpp>
#include <logstream/process.hpp>
#include <logstream/progress.hpp>
#include <logstream/replay.hpp>
#include <logstream/rules.hpp>
#include <logstream/run_store.hpp>
#include <logstream/runtime.hpp>
#include <logstream/search.hpp>
#include <logstream/sink.hpp>
#include <logstream/sinks/callback_sink.hpp>
#include <logstream/sinks/console_sink.hpp>
#include <logstream/sinks/file_sink.hpp>
#include <logstream/sinks/metrics_sink.hpp>
#include <logstream/streamer.hpp>
#include <logstream/web_server.hpp>

namespace logstream {
/// The library's version, "MAJOR.MINOR.PATCH".
LOGSTREAM_API const char* version() noexcept;
}  // namespace logstream
