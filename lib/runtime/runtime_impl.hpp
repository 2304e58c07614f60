// RuntimeImpl: the loop, its inbox and the workers behind logstream::Runtime.
#pragma once

#include <memory>
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
  ~RuntimeImpl();

  uv_loop_t* loop() const noexcept { return loop_; }
  bool owns_loop() const noexcept { return owned_loop_ != nullptr; }
  LoopExecutor& loop_executor() noexcept { return *loop_executor_; }
  /// Where actors run: the workers, or the loop when there are none.
  Executor& actor_executor() noexcept;
  bool on_loop_thread() const noexcept { return loop_executor_->in_executor_thread(); }
  bool on_runtime_thread() const noexcept;

private:
  std::unique_ptr<uv_loop_t> owned_loop_;
  uv_loop_t* loop_ = nullptr;
  std::unique_ptr<LoopExecutor> loop_executor_;
  std::unique_ptr<WorkerExecutor> workers_;
  std::thread io_thread_;
};

}  // namespace logstream
