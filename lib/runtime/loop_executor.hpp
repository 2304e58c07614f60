// LoopExecutor: runs posted work on the libuv loop thread, woken through one uv_async_t.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include <concurrentqueue/concurrentqueue.h>
#include <uv.h>

#include "runtime/executor.hpp"

namespace logstream {

class LoopExecutor final : public Executor {
public:
  /// Call on the loop's thread. With `keep_alive` false the async handle does not keep the
  /// loop running (a host loop must be able to exit when nothing else is active).
  LoopExecutor(uv_loop_t* loop, bool keep_alive);
  ~LoopExecutor() override = default;

  void post(std::function<void()> fn) override;
  /// The thread that marked itself (by id: several runtimes may share one host thread).
  bool in_executor_thread() const noexcept override;

  /// Closes the async handle (on the loop thread). Work posted afterwards is dropped.
  void close();
  /// Keeps a host loop running while a stream is active, so work it still posts is run even
  /// after its own handles closed. Loop thread only; balanced by release().
  void hold();
  void release();
  void mark_loop_thread() noexcept;
  /// True while posted work runs (loop thread only).
  bool draining() const noexcept { return draining_ > 0; }

private:
  static void on_async(uv_async_t* handle);
  void drain();

  uv_async_t* async_;  // heap: freed by its close callback, which may run after we are gone
  moodycamel::ConcurrentQueue<std::function<void()>> queue_;
  // Orders a poster's uv_async_send before close(): once the last stream's final post made
  // the runtime free to go, the handle must not be closed under a send still in progress.
  std::mutex send_mutex_;
  bool closed_ = false;  // guarded by send_mutex_
  std::atomic<std::thread::id> thread_{};
  bool keep_alive_;
  int holds_ = 0;
  int draining_ = 0;
};

}  // namespace logstream
