// InflightBudget: the pause and the resume race without a lock; the memory orders say why
// neither side misses the other.
#include "actors/inflight_budget.hpp"

namespace logstream {

bool InflightBudget::admit(std::size_t bytes) const noexcept {
  return inflight_.load(std::memory_order_seq_cst) + bytes <= max_bytes_;
}

std::size_t InflightBudget::add(std::size_t bytes) noexcept {
  std::size_t now = inflight_.fetch_add(bytes, std::memory_order_seq_cst) + bytes;
  std::size_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return now;
}

bool InflightBudget::pause() noexcept {
  if (paused_on_loop_) return false;
  paused_on_loop_ = true;
  pauses_.fetch_add(1, std::memory_order_relaxed);
  // seq_cst store then load (in try_resume), against release()'s fetch_sub then load of
  // paused_: one of the two sides sees the other, so a release that drains the bound never
  // misses the pause.
  paused_.store(true, std::memory_order_seq_cst);
  return true;
}

bool InflightBudget::try_resume() noexcept {
  if (!paused_on_loop_) return false;
  if (!at_or_below_half(inflight_.load(std::memory_order_seq_cst))) return false;
  paused_on_loop_ = false;
  paused_.store(false, std::memory_order_seq_cst);
  return true;
}

bool InflightBudget::release(std::size_t bytes) noexcept {
  std::size_t now = inflight_.fetch_sub(bytes, std::memory_order_seq_cst) - bytes;
  if (!at_or_below_half(now) || !paused_.load(std::memory_order_seq_cst)) return false;
  // One resume on its way is enough: the loop looks at the bytes when it runs.
  return !resume_posted_.exchange(true, std::memory_order_acq_rel);
}

}  // namespace logstream
