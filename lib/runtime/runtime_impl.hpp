// RuntimeImpl: the loop, its inbox and the workers behind logstream::Runtime.
#pragma once

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include <uv.h>

#include <logstream/runtime.hpp>

#include "runtime/loop_executor.hpp"
#include "runtime/worker_executor.hpp"

namespace logstream {

class RuntimeImpl {
public:
  RuntimeImpl(RuntimeOptions options);                    // own loop, own I/O thread
  RuntimeImpl(uv_loop_t* host_loop, RuntimeOptions options);  // the host's loop
  /// Waits until every stream it counts has ended, then stops the loop and joins the threads.
  /// Never on one of its own threads (see destroy()).
  ~RuntimeImpl();

  /// What ~Runtime calls: destroys `impl` now when it can, or as soon as its streams ended
  /// (from a thread of its own, or on a host loop, from the loop after that turn).
  static void destroy(std::unique_ptr<RuntimeImpl> impl);

  uv_loop_t* loop() const noexcept { return loop_; }
  bool owns_loop() const noexcept { return owned_loop_ != nullptr; }
  LoopExecutor& loop_executor() noexcept { return *loop_executor_; }
  /// Where actors run: the workers, or the loop when there are none.
  Executor& actor_executor() noexcept;
  bool on_loop_thread() const noexcept { return loop_executor_->in_executor_thread(); }
  bool on_runtime_thread() const noexcept;

  /// A stream counts from its start() until stream_ended(), its very last use of the runtime.
  void stream_started();
  void stream_ended();
  /// Runs a posted task: what it throws goes to RuntimeOptions::on_task_error.
  void run_task(const std::function<void()>& fn) noexcept;

private:
  int active_streams();
  void wait_for_streams();

  RuntimeOptions options_;
  std::unique_ptr<uv_loop_t> owned_loop_;
  uv_loop_t* loop_ = nullptr;
  std::unique_ptr<LoopExecutor> loop_executor_;
  std::unique_ptr<WorkerExecutor> workers_;
  std::thread io_thread_;
  std::mutex streams_mutex_;
  std::condition_variable streams_cv_;
  int streams_ = 0;
};

/// The implementation behind a Runtime: how the library's streams reach the loop and executors.
RuntimeImpl& runtime_impl(Runtime& runtime) noexcept;

}  // namespace logstream
