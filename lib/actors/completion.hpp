// Completion: the end of a stream. Counts the parts still running (the reader stage, the
// extract actor, each sink actor); after the last, on_complete runs and wait() returns.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <logstream/events.hpp>

#include "runtime/runtime_impl.hpp"
#include "runtime/strand.hpp"

namespace logstream {

/// Thread-safe. on_complete runs on `callbacks`, the strand of the stream's on_event, so it
/// comes after every event and never on the I/O thread; what it throws goes to `on_error`
/// (on_event's callers, on that strand).
class Completion {
public:
  Completion(RuntimeImpl& runtime, Strand& callbacks, std::vector<std::function<void()>> on_complete,
             std::function<void(const StreamEvent&)> on_error);
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  /// Before any part runs: `parts` parts will each call part_done() once.
  void expect(int parts) noexcept { pending_.store(parts, std::memory_order_release); }
  /// One part finished (or was abandoned). True for the last one, which then calls complete().
  /// A part that ends before expect() (a start that failed half-way) is never the last.
  bool part_done() noexcept { return pending_.fetch_sub(1, std::memory_order_acq_rel) == 1; }
  /// Queues the end behind every event on the strand: on_complete, then done, then the
  /// runtime's count of this stream. `owner` keeps what the strand touches alive meanwhile.
  void complete(std::shared_ptr<const void> owner);
  /// Done with nothing to run or wait for: start() failed before anything ran.
  void mark_done();

  /// Waits for done, up to `timeout` (none: for ever). False on timeout, or at once when called
  /// on one of the runtime's threads, which would have to do the work being waited for.
  bool wait(std::optional<std::chrono::milliseconds> timeout);
  bool is_done() const;

private:
  void complete_on_strand();

  RuntimeImpl& runtime_;
  Strand& callbacks_;
  const std::vector<std::function<void()>> on_complete_;
  const std::function<void(const StreamEvent&)> on_error_;
  std::atomic<int> pending_{0};
  mutable std::mutex mutex_;  // guards done_
  std::condition_variable done_cv_;
  bool done_ = false;
};

}  // namespace logstream
