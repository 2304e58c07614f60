// Ticker: a repeating uv timer whose state lives with the handle.
#include "loop/ticker.hpp"

namespace logstream {
namespace {
struct Ticker {
  uv_timer_t timer;
  std::function<bool()> tick;
};
}  // namespace

void start_ticker(uv_loop_t* loop, std::chrono::milliseconds period, std::function<bool()> tick) {
  auto* t = new Ticker{{}, std::move(tick)};
  uv_timer_init(loop, &t->timer);
  t->timer.data = t;
  const auto ms = static_cast<std::uint64_t>(period.count() > 0 ? period.count() : 1);
  uv_timer_start(
      &t->timer,
      [](uv_timer_t* handle) {
        auto* self = static_cast<Ticker*>(handle->data);
        if (self->tick()) return;
        uv_timer_stop(handle);
        uv_close(reinterpret_cast<uv_handle_t*>(handle), [](uv_handle_t* h) { delete static_cast<Ticker*>(h->data); });
      },
      ms, ms);
}

}  // namespace logstream
