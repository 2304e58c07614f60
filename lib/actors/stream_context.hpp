// StreamContext: what a stream's actors may ask of their stream (any thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>

#include <logstream/events.hpp>
#include <logstream/progress.hpp>

namespace logstream {

class StreamContext {
public:
  virtual ~StreamContext() = default;
  /// An error, gap or other event for the user's on_event.
  virtual void report(StreamEvent event) = 0;
  /// An event the sinks already heard in order (an alert), for the user's on_event only.
  virtual void tell_subscribers(StreamEvent event) = 0;
  /// Bytes held by a batch were released (backpressure may resume reading).
  virtual void release(std::size_t bytes) = 0;
  /// The progress after a batch, for queries (sinks get every change in the batches).
  virtual void progress_changed(const TrainingProgress& progress) = 0;
  /// One actor finished (after its sink's close()), or was abandoned.
  virtual void actor_done() = 0;
  /// Calls `tick` on the loop thread every `period` until it returns false. `tick` owns what it
  /// needs: it may outlive the stream.
  virtual void every_on_loop(std::chrono::milliseconds period, std::function<bool()> tick) = 0;
};

}  // namespace logstream
