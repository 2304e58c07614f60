// LoopTimer: a one-shot uv_timer_t, owned through a LoopHandle.
#pragma once

#include <chrono>
#include <functional>

#include <uv.h>

#include "loop/loop_handle.hpp"

namespace logstream {

/// Loop thread only. The handle counts in `count` (when given) until its close callback ran;
/// close() (or the destructor) must come before the loop ends.
class LoopTimer {
public:
  LoopTimer(uv_loop_t* loop, HandleCount* count);

  void start(std::chrono::milliseconds after, std::function<void()> fire);
  void stop();
  void close() { handle_.close(); }

private:
  struct State {
    std::function<void()> fire;
  };
  LoopHandle<uv_timer_t, State> handle_;
};

}  // namespace logstream
