// LoopTimer: a one-shot uv_timer_t whose handle is freed by its own close callback.
#pragma once

#include <chrono>
#include <functional>

#include <uv.h>

namespace logstream {

/// Loop thread only. close() must be called before the loop ends; `on_closed` runs once the
/// handle is freed.
class LoopTimer {
public:
  LoopTimer(uv_loop_t* loop, std::function<void()> on_closed);
  ~LoopTimer();
  LoopTimer(const LoopTimer&) = delete;
  LoopTimer& operator=(const LoopTimer&) = delete;

  void start(std::chrono::milliseconds after, std::function<void()> fire);
  void stop();
  void close();
  bool is_open() const noexcept { return handle_ != nullptr; }

private:
  struct Handle {
    uv_timer_t timer;
    std::function<void()> fire;
    std::function<void()> on_closed;
  };
  Handle* handle_;
};

}  // namespace logstream
