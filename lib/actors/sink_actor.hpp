// SinkActor: drives one Sink from its own mailbox, applying the sink's overflow policy.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include <logstream/sink.hpp>
#include <logstream/streamer.hpp>

#include "actors/mailbox.hpp"
#include "actors/task.hpp"

namespace logstream {

class StreamContext;
struct SinkCore;
struct LossyQueue;

/// What a sink actor is handed: a batch, or (with `event` set) a stream event.
struct Delivery {
  BatchPtr batch;
  std::shared_ptr<const StreamEvent> event;
};

/// The extract actor is its only producer.
///
/// A lossless (block) sink is a coroutine on the actor executor; it holds batches until
/// written, which is what backpressure counts.
///
/// A drop_oldest sink runs on a thread of its own, so however long its hooks take they hold
/// back nothing: not a worker (the other streams), not the stream's in-flight budget (it gets
/// the batch without the budget's hold), not the end of the stream (after the input ended, a
/// lossy sink that is still inside one hook after `abandon_after` is abandoned: one sink_error
/// event, its queued lines counted as failed, and the stream completes without it). What an
/// abandoned sink still runs touches only state it shares (SinkCore, LossyQueue), never the
/// stream.
class SinkActor {
public:
  SinkActor(StreamContext& stream, Executor& executor, std::shared_ptr<Sink> sink, std::size_t drop_queue_bytes,
            std::chrono::milliseconds abandon_after);
  ~SinkActor();

  bool lossy() const noexcept { return lossy_ != nullptr; }
  /// Extract actor only. `may_run_here`: a lossless sink that is idle may run on its thread.
  void send(BatchPtr batch, bool may_run_here = true);
  /// Extract actor only. Never dropped, also by a drop_oldest sink.
  void send_event(std::shared_ptr<const StreamEvent> event);
  void close();               // extract actor only
  Task<> run();
  SinkStats stats() const;

private:
  void watch_lossy();

  StreamContext& stream_;
  std::shared_ptr<SinkCore> core_;
  std::shared_ptr<LossyQueue> lossy_;  // drop_oldest only
  std::chrono::milliseconds abandon_after_;
  Mailbox<Delivery> inbox_;            // block only
  std::thread thread_;                 // drop_oldest only
};

}  // namespace logstream
