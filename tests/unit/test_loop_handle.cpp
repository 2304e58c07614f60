// LoopHandle and HandleCount: handles counted from their init to their close callback, freed
// there, also when their owner is gone or their init failed.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include <uv.h>

#include "loop/loop_handle.hpp"

using namespace logstream;

namespace {

struct Loop {
  uv_loop_t loop{};
  Loop() { uv_loop_init(&loop); }
  ~Loop() {
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

int timer_init(uv_loop_t* loop, uv_timer_t* timer) { return uv_timer_init(loop, timer); }

}  // namespace

TEST_CASE("loop handle: the count reaches zero exactly when the last close callback ran", "[loop_handle]") {
  Loop l;
  int all_closed = 0;
  int open_when_called = -1;
  HandleCount* count_ptr = nullptr;
  HandleCount count([&] {
    ++all_closed;
    open_when_called = count_ptr->open();
  });
  count_ptr = &count;
  std::vector<LoopHandle<uv_timer_t>> timers(3);
  LoopHandle<uv_idle_t> idle;
  for (auto& t : timers) REQUIRE(t.open(&count, [&](uv_timer_t* h) { return timer_init(&l.loop, h); }) == 0);
  REQUIRE(idle.open(&count, [&](uv_idle_t* h) { return uv_idle_init(&l.loop, h); }) == 0);
  CHECK(count.open() == 4);

  timers[0].close();
  timers[1].close();
  CHECK_FALSE(timers[0].is_open());
  CHECK(count.open() == 4);  // closing is asynchronous: nothing freed before the loop runs
  uv_run(&l.loop, UV_RUN_NOWAIT);
  CHECK(count.open() == 2);
  CHECK(all_closed == 0);

  idle.close();
  timers[2].close();
  uv_run(&l.loop, UV_RUN_NOWAIT);
  CHECK(count.open() == 0);
  CHECK(all_closed == 1);
  CHECK(open_when_called == 0);
  CHECK(uv_loop_alive(&l.loop) == 0);
}

TEST_CASE("loop handle: the destructor closes, and the state lives until the close callback", "[loop_handle]") {
  Loop l;
  HandleCount count;
  auto tracker = std::make_shared<int>(0);
  std::weak_ptr<int> watch = tracker;
  {
    LoopHandle<uv_timer_t, std::shared_ptr<int>> timer;
    REQUIRE(timer.open(&count, [&](uv_timer_t* h) { return timer_init(&l.loop, h); }) == 0);
    timer.state() = std::move(tracker);
    CHECK(*LoopHandle<uv_timer_t, std::shared_ptr<int>>::state(timer.get()) == 0);
  }
  CHECK(count.open() == 1);
  CHECK_FALSE(watch.expired());  // freed with the handle, in its close callback
  uv_run(&l.loop, UV_RUN_NOWAIT);
  CHECK(count.open() == 0);
  CHECK(watch.expired());
}

TEST_CASE("loop handle: a failed init is closed at once and never counted", "[loop_handle]") {
  Loop l;
  HandleCount count;
  LoopHandle<uv_timer_t> timer;
  // Initialised, then failed (as uv_spawn or uv_pipe_open fail after their init).
  const int rc = timer.open(&count, [&](uv_timer_t* h) {
    uv_timer_init(&l.loop, h);
    return UV_EINVAL;
  });
  CHECK(rc != 0);
  CHECK_FALSE(timer.is_open());
  CHECK(count.open() == 0);
  CHECK(uv_loop_alive(&l.loop) != 0);  // closing: the close callback frees it
  uv_run(&l.loop, UV_RUN_NOWAIT);
  CHECK(count.open() == 0);
  CHECK(uv_loop_alive(&l.loop) == 0);
}

TEST_CASE("loop handle: a released handle is closed later from its own callback", "[loop_handle]") {
  Loop l;
  int closed = 0;
  HandleCount count([&] { ++closed; });
  using Timer = LoopHandle<uv_timer_t, int>;
  {
    Timer timer;
    REQUIRE(timer.open(&count, [&](uv_timer_t* h) { return timer_init(&l.loop, h); }) == 0);
    timer.state() = 3;  // fires three times, then closes itself
    uv_timer_start(
        timer.get(),
        [](uv_timer_t* h) {
          if (--Timer::state(h) > 0) return;
          uv_timer_stop(h);
          Timer::close(h);
        },
        0, 1);
    timer.release();
  }
  CHECK(count.open() == 1);
  uv_run(&l.loop, UV_RUN_DEFAULT);
  CHECK(count.open() == 0);
  CHECK(closed == 1);
}
