// InflightBudget: the bytes a stream has read but its lossless sinks not yet let go of, against
// the bound at which the reader stage stops reading (backpressure).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace logstream {

/// The reader stage adds what it reads, on the loop thread; the actors release it from any
/// thread. At the bound the reader pauses; once the bytes fall to half the bound it resumes.
/// The pause is decided on the loop thread; a release that lets the bytes fall that far while
/// paused asks for one resume on the loop (release() returns true), never more than one at a
/// time: the invariant is that a paused budget whose bytes are at or below half the bound always
/// has a resume coming. The rest is loop thread only, unless marked "any thread".
class InflightBudget {
public:
  explicit InflightBudget(std::size_t max_bytes) noexcept : max_bytes_(max_bytes) {}
  InflightBudget(const InflightBudget&) = delete;
  InflightBudget& operator=(const InflightBudget&) = delete;

  std::size_t max_bytes() const noexcept { return max_bytes_; }
  /// Whether a buffer of `bytes` may be filled now (from libuv's alloc callback).
  bool admit(std::size_t bytes) const noexcept;
  /// Counts `bytes` read (the capacity of the buffer that holds them); returns the bytes now
  /// in flight. The peak follows.
  std::size_t add(std::size_t bytes) noexcept;
  /// Marks the budget paused. False when it already was: the caller has nothing to do. After a
  /// true the caller stops its readers, then calls try_resume(): the bytes may have fallen
  /// meanwhile.
  bool pause() noexcept;
  /// Unpauses when paused and the bytes are at or below half the bound; true when the caller
  /// must start its readers again.
  bool try_resume() noexcept;
  bool is_paused() const noexcept { return paused_on_loop_; }
  /// The resume that release() asked for has come to the loop: the next release may ask again.
  /// Called before try_resume().
  void resume_arrived() noexcept { resume_posted_.store(false, std::memory_order_release); }

  /// Any thread: `bytes` were let go of. True when the caller must post one resume to the loop
  /// thread (resume_arrived(), then try_resume()).
  bool release(std::size_t bytes) noexcept;

  // Any thread, for stats.
  std::size_t inflight() const noexcept { return inflight_.load(std::memory_order_relaxed); }
  std::size_t peak() const noexcept { return peak_.load(std::memory_order_relaxed); }
  std::uint64_t pauses() const noexcept { return pauses_.load(std::memory_order_relaxed); }

private:
  bool at_or_below_half(std::size_t bytes) const noexcept { return bytes <= max_bytes_ / 2; }

  const std::size_t max_bytes_;
  std::atomic<std::size_t> inflight_{0};
  std::atomic<std::size_t> peak_{0};
  std::atomic<bool> paused_{false};  // what release() sees of paused_on_loop_
  std::atomic<bool> resume_posted_{false};
  std::atomic<std::uint64_t> pauses_{0};
  bool paused_on_loop_ = false;  // loop thread only
};

}  // namespace logstream
