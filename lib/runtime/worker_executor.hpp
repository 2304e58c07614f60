// WorkerExecutor: threads that park on a semaphore-backed queue until an actor has work.
#pragma once

#include <functional>
#include <thread>
#include <vector>

#include <concurrentqueue/blockingconcurrentqueue.h>

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

  // An empty function is the stop signal, one per thread.
  moodycamel::BlockingConcurrentQueue<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
};

}  // namespace logstream
