// SinkActor: drives one Sink from its own mailbox, applying the sink's overflow policy.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <logstream/sink.hpp>
#include <logstream/streamer.hpp>
#include <logstream/task.hpp>

#include "actors/mailbox.hpp"

namespace logstream {

class StreamContext;

/// The parser is its only producer. Lossless sinks hold batches until written, which is what
/// backpressure counts; drop_oldest sinks keep at most `drop_queue_batches` queued.
class SinkActor {
public:
  SinkActor(StreamContext& stream, Executor& executor, std::shared_ptr<Sink> sink, std::size_t drop_queue_batches);

  /// Parser only. `may_run_here`: a lossless sink that is idle may run on the parser's thread.
  void send(BatchPtr batch, bool may_run_here = true);
  void close();               // parser only
  Task<> run();
  SinkStats stats() const;

private:
  template <typename F>
  bool guarded(const char* what, F&& hook);
  void deliver(const LineBatch& batch);

  StreamContext& stream_;
  std::shared_ptr<Sink> sink_;
  OverflowPolicy policy_;
  std::size_t drop_queue_batches_;
  Mailbox<BatchPtr> inbox_;
  std::uint64_t next_seq_ = 1;
  bool failed_ = false;
  std::string name_;
  std::atomic<std::uint64_t> lines_{0};
  std::atomic<std::uint64_t> dropped_{0};  // written by the producer when it drops
  std::atomic<std::uint64_t> failed_lines_{0};
  std::atomic<std::uint64_t> errors_{0};
};

}  // namespace logstream
