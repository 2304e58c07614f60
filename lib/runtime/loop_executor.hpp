// LoopExecutor: runs posted work on the libuv loop thread, woken through one uv_async_t.
#pragma once

#include <atomic>
#include <functional>

#include <concurrentqueue/concurrentqueue.h>
#include <uv.h>

#include "runtime/executor.hpp"

namespace logstream {

class LoopExecutor final : public Executor {
public:
  /// Call on the loop's thread. With `keep_alive` false the async handle does not keep the
  /// loop running (a host loop must be able to exit when nothing else is active).
  LoopExecutor(uv_loop_t* loop, bool keep_alive);
  ~LoopExecutor() override;

  void post(std::function<void()> fn) override;
  bool in_executor_thread() const noexcept override;

  /// Closes the async handle (on the loop thread). Work posted afterwards is dropped.
  void close();
  /// Keeps a host loop running while a stream is active, so work it still posts is run even
  /// after its own handles closed. Loop thread only; balanced by release().
  void hold();
  void release();
  void mark_loop_thread() noexcept;

private:
  static void on_async(uv_async_t* handle);
  void drain();

  uv_async_t* async_;  // heap: freed by its close callback, which may run after we are gone
  moodycamel::ConcurrentQueue<std::function<void()>> queue_;
  std::atomic<bool> closed_{false};
  bool keep_alive_;
  int holds_ = 0;
};

}  // namespace logstream
