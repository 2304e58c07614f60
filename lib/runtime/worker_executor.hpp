// WorkerExecutor: threads that park until an actor has work; at most one spins briefly first.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <concurrentqueue/concurrentqueue.h>

#include "runtime/executor.hpp"

namespace logstream {

class WorkerExecutor final : public Executor {
public:
  explicit WorkerExecutor(unsigned threads);
  ~WorkerExecutor() override;  // runs what is queued, then joins

  void post(std::function<void()> fn) override;
  bool in_executor_thread() const noexcept override;

private:
  void run();
  void acquire(bool& spin);
  bool claim() noexcept;
  bool spin_for_work();
  void wake_one();

  // An empty function is the stop signal, one per thread.
  moodycamel::ConcurrentQueue<std::function<void()>> queue_;
  // Items in queue_ no worker has claimed yet. A worker claims one before it dequeues.
  std::atomic<std::ptrdiff_t> unclaimed_{0};
  // The worker (at most one) waiting on-CPU for the next item: posts leave it to that worker
  // instead of waking a sleeping one, which is what makes spinning worth anything.
  std::atomic<int> spinning_{0};
  // Sleeping workers. A poster reads it after counting its item; a worker raises it before
  // its last look under the mutex: one of the two sees the other, so no wake-up is lost.
  std::atomic<int> sleepers_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::thread> threads_;
};

}  // namespace logstream
