// ExtractActor: runs extraction over each framed batch and fans the batch out to sinks.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <vector>

#include <logstream/events.hpp>
#include <logstream/extractor.hpp>

#include "actors/mailbox.hpp"
#include "actors/sink_actor.hpp"
#include "actors/task.hpp"

namespace logstream {

class StreamContext;

/// What the reader side sends: the lines framed from one read (or a source's last line at its
/// end) and the bytes of pipe buffer they hold, released when the last sink lets go; or, with
/// `event` set, a stream event for every sink at this place among the batches.
struct ReadMessage {
  LineBatch batch;
  std::size_t held_bytes = 0;
  std::shared_ptr<const StreamEvent> event;
};

class ExtractActor {
public:
  ExtractActor(StreamContext& stream, Executor& executor, ExtractorOptions extraction,
              std::shared_ptr<MetricStore> metrics, std::vector<SinkActor*> sinks);

  Mailbox<ReadMessage>& inbox() noexcept { return inbox_; }
  void set_start(std::chrono::steady_clock::time_point start) { start_ = start; }
  /// Lines parsed so far from `source` (any thread).
  std::uint64_t lines(Source source) const noexcept {
    return lines_[static_cast<std::size_t>(source)].load(std::memory_order_relaxed);
  }
  Task<> run();

private:
  void deliver(LineBatch batch, std::size_t held_bytes);
  void deliver_end();
  void fan_out(const std::shared_ptr<const StreamEvent>& event);

  StreamContext& stream_;
  Mailbox<ReadMessage> inbox_;
  ProgressExtractor extractor_;
  std::vector<SinkActor*> sinks_;
  std::chrono::steady_clock::time_point start_{};
  std::array<std::atomic<std::uint64_t>, 2> lines_{};
  std::uint64_t last_seq_ = 0;
  std::shared_ptr<const StreamEvent> exit_;  // held until the end's progress went out
};

}  // namespace logstream
