// Worker threads: each parks in wait_dequeue (a semaphore) while idle, so idle costs no CPU.
#include "runtime/worker_executor.hpp"

#include <cstdio>
#include <exception>

#include "runtime/thread_role.hpp"

namespace logstream {

WorkerExecutor::WorkerExecutor(unsigned threads) {
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkerExecutor::~WorkerExecutor() {
  for (std::size_t i = 0; i < threads_.size(); ++i) queue_.enqueue(std::function<void()>{});
  for (auto& thread : threads_) thread.join();
}

void WorkerExecutor::post(std::function<void()> fn) { queue_.enqueue(std::move(fn)); }

bool WorkerExecutor::in_executor_thread() const noexcept {
  return thread_role::current_worker() == this;
}

void WorkerExecutor::run() {
  thread_role::set_worker(this);
  std::function<void()> fn;
  for (;;) {
    queue_.wait_dequeue(fn);
    if (!fn) return;
    // Work posted here is library code that reports its own errors; an escape is a bug.
    fn();
    fn = nullptr;
  }
}

}  // namespace logstream
