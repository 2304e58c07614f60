// Ticker: a repeating uv timer whose state lives with the handle, released to close itself.
#include "loop/ticker.hpp"

#include "loop/loop_handle.hpp"

namespace logstream {
namespace {
struct TickerState {
  std::function<bool()> tick;
};
using TickerHandle = LoopHandle<uv_timer_t, TickerState>;
}  // namespace

void start_ticker(uv_loop_t* loop, std::chrono::milliseconds period, std::function<bool()> tick) {
  TickerHandle handle;
  handle.open(nullptr, [loop](uv_timer_t* timer) { return uv_timer_init(loop, timer); });
  handle.state().tick = std::move(tick);
  const auto ms = static_cast<std::uint64_t>(period.count() > 0 ? period.count() : 1);
  uv_timer_start(
      handle.get(),
      [](uv_timer_t* timer) {
        if (TickerHandle::state(timer).tick()) return;
        uv_timer_stop(timer);
        TickerHandle::close(timer);
      },
      ms, ms);
  handle.release();  // from here on the timer closes itself
}

}  // namespace logstream
