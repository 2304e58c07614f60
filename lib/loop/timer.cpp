// LoopTimer: the callback state lives with the handle, so a late close stays safe.
#include "loop/timer.hpp"

namespace logstream {

LoopTimer::LoopTimer(uv_loop_t* loop, std::function<void()> on_closed) : handle_(new Handle{}) {
  uv_timer_init(loop, &handle_->timer);
  handle_->timer.data = handle_;
  handle_->on_closed = std::move(on_closed);
}

LoopTimer::~LoopTimer() { close(); }

void LoopTimer::start(std::chrono::milliseconds after, std::function<void()> fire) {
  if (!handle_) return;
  handle_->fire = std::move(fire);
  // libuv counts from the loop's cached time in whole milliseconds, so a timer may fire up to
  // a millisecond early: refresh the time and add one, and `after` is a lower bound.
  uv_update_time(handle_->timer.loop);
  const std::uint64_t delay = after.count() <= 0 ? 0 : static_cast<std::uint64_t>(after.count()) + 1;
  uv_timer_start(
      &handle_->timer,
      [](uv_timer_t* t) {
        auto* h = static_cast<Handle*>(t->data);
        auto fire = h->fire;  // the callback may restart or close the timer
        if (fire) fire();
      },
      delay, 0);
}

void LoopTimer::stop() {
  if (handle_) uv_timer_stop(&handle_->timer);
}

void LoopTimer::close() {
  if (!handle_) return;
  uv_timer_stop(&handle_->timer);
  handle_->fire = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_->timer), [](uv_handle_t* h) {
    auto* self = static_cast<Handle*>(h->data);
    auto on_closed = std::move(self->on_closed);
    delete self;
    if (on_closed) on_closed();
  });
  handle_ = nullptr;
}

}  // namespace logstream
