// Sink: the extension point at the end of the pipeline. Implement write(); the rest is optional.
#pragma once

#include <cstdint>
#include <string>

#include <logstream/events.hpp>
#include <logstream/export.hpp>
#include <logstream/line_batch.hpp>

namespace logstream {

/// What a sink's queue does when the sink falls behind.
enum class OverflowPolicy : std::uint8_t {
  block,       ///< lossless: the reader pauses the pipe (the child blocks in write) until it catches up
  drop_oldest, ///< for live views: the oldest queued batches are dropped, counted, reported as a gap
};

struct LOGSTREAM_API GapEvent {
  std::uint64_t first_seq = 0;  ///< the first line this sink did not get
  std::uint64_t count = 0;      ///< how many lines it did not get
};

/// A destination for a stream: its lines, what extraction found in them (each batch carries its
/// metric observations and progress changes) and its events. Each sink is driven by its own
/// actor: open(), then write() for every batch in sequence order with on_event() for each event
/// at its place among them (an exit comes after the last line), then close(); never two calls
/// at once, always from a runtime worker thread (or the host loop's thread for an embedded
/// runtime; a drop_oldest sink from a thread of its own). Throwing from a hook is allowed:
/// the sink is retired (no further hook is called, not even close()), one `sink_error` event
/// names it, its remaining lines are counted in `SinkStats::failed_lines`, and the stream and
/// the other sinks go on. The exception is CallbackError (a CallbackSink's user function
/// threw): a `callback_error` event, and the sink goes on. name() and overflow() are asked once,
/// in start(): if either throws, start() throws StartError (EINVAL) and nothing runs.
class LOGSTREAM_API Sink {
public:
  virtual ~Sink() = default;

  /// Called once before the first write (open files here, so failures are reported as events).
  virtual void open() {}
  /// Called for each batch, in order. The batch's texts are valid for the call only.
  virtual void write(const LineBatch& batch) = 0;
  /// Make everything written so far durable enough for readers (called at least every second
  /// while lines flow, and before close()).
  virtual void flush() {}
  /// Called once after the last batch.
  virtual void close() {}
  /// A drop_oldest sink is told which lines it missed, before the next batch it gets.
  virtual void on_gap(const GapEvent& /*gap*/) {}
  /// The stream's events, in order with the batches: `exited` after the last line, `truncated`
  /// where reading stopped, `sink_error` and `gap` of any sink (this one's own gap after its
  /// on_gap), from the start until the end of input; what happens after it, while the sinks
  /// close, and a `callback_error` reach Streamer::on_event only. Never dropped, also for a
  /// drop_oldest sink.
  virtual void on_event(const StreamEvent& /*event*/) {}

  virtual OverflowPolicy overflow() const { return OverflowPolicy::block; }
  /// For events and statistics.
  virtual std::string name() const { return "sink"; }
};

}  // namespace logstream
