// ParserActor: frames chunks into batches, runs extraction, and fans each batch out to sinks.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <vector>

#include <logstream/extractor.hpp>
#include <logstream/framing.hpp>
#include <logstream/task.hpp>

#include "actors/mailbox.hpp"
#include "actors/sink_actor.hpp"

namespace logstream {

class StreamContext;

/// What the reader sends: a chunk, or the end of one source.
struct ReadMessage {
  Chunk chunk;
  bool end = false;
};

class ParserActor {
public:
  ParserActor(StreamContext& stream, Executor& executor, FramingOptions framing, ExtractorOptions extraction,
              std::shared_ptr<MetricStore> metrics, std::vector<SinkActor*> sinks);

  Mailbox<ReadMessage>& inbox() noexcept { return inbox_; }
  void set_start(std::chrono::steady_clock::time_point start) { start_ = start; }
  /// Lines framed so far from `source` (any thread).
  std::uint64_t lines(Source source) const noexcept {
    return lines_[static_cast<std::size_t>(source)].load(std::memory_order_relaxed);
  }
  Task<> run();

private:
  void deliver(LineBatch batch, std::size_t chunk_bytes);

  StreamContext& stream_;
  Mailbox<ReadMessage> inbox_;
  Framer framer_;
  ProgressExtractor extractor_;
  std::vector<SinkActor*> sinks_;
  std::chrono::steady_clock::time_point start_{};
  std::array<std::atomic<std::uint64_t>, 2> lines_{};
};

}  // namespace logstream
