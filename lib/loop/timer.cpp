// LoopTimer: the callback state lives with the handle, so a late close stays safe.
#include "loop/timer.hpp"

namespace logstream {

LoopTimer::LoopTimer(uv_loop_t* loop, HandleCount* count) {
  handle_.open(count, [loop](uv_timer_t* timer) { return uv_timer_init(loop, timer); });
}

void LoopTimer::start(std::chrono::milliseconds after, std::function<void()> fire) {
  if (!handle_.is_open()) return;
  handle_.state().fire = std::move(fire);
  // libuv counts from the loop's cached time in whole milliseconds, so a timer may fire up to
  // a millisecond early: refresh the time and add one, and `after` is a lower bound.
  uv_update_time(handle_.get()->loop);
  const std::uint64_t delay = after.count() <= 0 ? 0 : static_cast<std::uint64_t>(after.count()) + 1;
  uv_timer_start(
      handle_.get(),
      [](uv_timer_t* timer) {
        auto fire = LoopHandle<uv_timer_t, State>::state(timer).fire;  // the callback may restart or close the timer
        if (fire) fire();
      },
      delay, 0);
}

void LoopTimer::stop() {
  if (handle_.is_open()) uv_timer_stop(handle_.get());
}

}  // namespace logstream
