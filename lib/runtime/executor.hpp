// Executor: where an actor's coroutine resumes (a worker thread, or the loop thread).
#pragma once

#include <coroutine>
#include <functional>

namespace logstream {

class Executor {
public:
  virtual ~Executor() = default;
  /// Runs `fn` on this executor soon. Thread-safe.
  virtual void post(std::function<void()> fn) = 0;
  /// True when called from one of this executor's threads.
  virtual bool in_executor_thread() const noexcept = 0;

  void schedule(std::coroutine_handle<> handle) {
    post([handle] { handle.resume(); });
  }

  /// `co_await executor.hop()` continues the coroutine on this executor.
  auto hop() noexcept {
    struct Awaiter {
      Executor& executor;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> handle) { executor.schedule(handle); }
      void await_resume() const noexcept {}
    };
    return Awaiter{*this};
  }
};

}  // namespace logstream
