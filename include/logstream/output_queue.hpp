// OutputQueue: the seed's output_queue, a consumer end that any thread can pull lines from.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include <logstream/export.hpp>
#include <logstream/sink.hpp>

namespace logstream {

namespace detail {
struct SinkAccess;  // the stream's way to feed a consumer end: lib/sink_access.hpp
}  // namespace detail

/// Committed lines (transient CR states are skipped), in order, for consumers that pull.
/// Bounded in lines and in bytes (of line text): when nobody pulls and a new line would pass
/// either bound, the oldest lines are dropped and counted (a live view, like drop_oldest: a
/// consumer that stops pulling never holds back the child or the other sinks).
/// Thread-safe. Destroying it lets every consumer blocked in pop() return first.
///
/// The stream feeds it as a sink, a private base: a consumer only pulls.
class LOGSTREAM_API OutputQueue final : private Sink {
public:
  explicit OutputQueue(std::size_t capacity = 10000, std::size_t max_bytes = 16 << 20);
  ~OutputQueue() override;

  /// The next line, if one waits.
  std::optional<OwnedLine> try_pop();
  /// Waits up to `timeout` (forever when empty) for the next line; empty on timeout, or once
  /// the queue is closed (the stream ended, start() failed, or the Streamer was destroyed) and
  /// every line was taken.
  std::optional<OwnedLine> pop(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  std::size_t size() const;
  /// Bytes of text the queued lines hold.
  std::size_t bytes() const;
  bool closed() const;
  /// Lines dropped because the queue was full.
  std::uint64_t dropped() const;

private:
  friend struct detail::SinkAccess;

  // The Sink hooks (a private base: not even a Sink& reaches them from outside).
  void write(const LineBatch& batch) override;
  void close() override;
  std::string name() const override { return "output_queue"; }

  std::size_t capacity_;
  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable left_;  // the destructor waits here for consumers to leave pop()
  int consumers_ = 0;             // inside pop()
  std::size_t bytes_ = 0;
  std::deque<OwnedLine> lines_;
  std::uint64_t dropped_ = 0;
  bool closed_ = false;
};

}  // namespace logstream
