// OutputQueue: the seed's output_queue, a consumer end that any thread can pull lines from.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include <logstream/sink.hpp>

namespace logstream {

/// Committed lines (transient CR states are skipped), in order, for consumers that pull.
/// Bounded: when nobody pulls and `capacity` lines wait, the oldest is dropped and counted.
/// Thread-safe.
class OutputQueue final : public Sink {
public:
  explicit OutputQueue(std::size_t capacity = 10000);

  /// The next line, if one waits.
  std::optional<OwnedLine> try_pop();
  /// Waits up to `timeout` (forever when empty) for the next line; empty on timeout, or once
  /// the stream ended and every line was taken.
  std::optional<OwnedLine> pop(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  std::size_t size() const;
  bool closed() const;
  /// Lines dropped because the queue was full.
  std::uint64_t dropped() const;

  void write(const LineBatch& batch) override;
  void close() override;
  std::string name() const override { return "output_queue"; }

private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<OwnedLine> lines_;
  std::uint64_t dropped_ = 0;
  bool closed_ = false;
};

}  // namespace logstream
