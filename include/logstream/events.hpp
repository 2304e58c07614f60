// StreamEvent: what happens to a stream besides its lines (errors, gaps, truncation, alerts, exit).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <logstream/alerts.hpp>
#include <logstream/export.hpp>

namespace logstream {

enum class EventKind : std::uint8_t {
  sink_error,     ///< a sink failed (open, write, flush); the other sinks go on
  callback_error, ///< user code threw; streaming goes on
  gap,            ///< a drop_oldest sink skipped lines: first_seq, count
  truncated,      ///< the child exited but its pipes stayed open past the drain timeout
  exited,         ///< the child exited: exit_code or term_signal
  alert,          ///< a rule of StreamerOptions::alerts fired: `alert` says what
  notify_error,   ///< an alert could not be delivered through a channel (`sink` names it)
};

struct LOGSTREAM_API StreamEvent {
  EventKind kind = EventKind::sink_error;
  std::string sink;     ///< the sink concerned, if any
  std::string message;  ///< human-readable, names the thing and carries the OS text
  std::uint64_t first_seq = 0;  ///< gap: the first line skipped
  std::uint64_t count = 0;      ///< gap: lines skipped; sink_error of an abandoned drop_oldest sink: its queued lines
  std::optional<int> exit_code;
  std::optional<int> term_signal;
  std::shared_ptr<const Alert> alert;  ///< alert: never null
};

LOGSTREAM_API std::string_view to_string(EventKind kind) noexcept;

}  // namespace logstream
