// Strand: runs posted work one item at a time, in order, on an executor, with no lock held
// while an item runs. A stream's events and its completion go through one, so user callbacks
// run where actors run (never on the I/O thread) and never two at once.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "runtime/executor.hpp"

namespace logstream {

class Strand {
public:
  explicit Strand(Executor& executor) : executor_(executor) {}
  Strand(const Strand&) = delete;
  Strand& operator=(const Strand&) = delete;

  /// Queues `fn`; any thread. `owner` keeps the strand (and what the work touches) alive
  /// until the drain that runs it has returned.
  void post(std::function<void()> fn, std::shared_ptr<const void> owner);

private:
  void drain();

  Executor& executor_;
  std::mutex mutex_;  // guards the queue only, never held while an item runs
  std::deque<std::function<void()>> queue_;
  bool scheduled_ = false;
};

}  // namespace logstream
