// Hosts: what an embedding program may do around a Runtime — two runtimes on one loop thread,
// every signal blocked before the runtime exists.
#include <catch2/catch.hpp>

#include <signal.h>
#include <uv.h>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

TEST_CASE("hosts: two runtimes on one host loop thread both stream", "[hosts][embedding]") {
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  {
    auto first = std::make_shared<Runtime>(&loop);
    auto second = std::make_shared<Runtime>(&loop);
    CHECK(first->on_loop_thread());
    CHECK(second->on_loop_thread());
    StreamerOptions a_options, b_options;
    a_options.runtime = first;
    b_options.runtime = second;
    Streamer a(child({"lines", "100"}), {}, a_options);
    Streamer b(child({"lines", "200"}), {}, b_options);
    a.start();  // on the loop's thread: must not wait for a loop that cannot turn
    b.start();
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK(a.is_complete());
    CHECK(b.is_complete());
    CHECK(a.stats().lines == 100);
    CHECK(b.stats().lines == 200);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}

TEST_CASE("hosts: a runtime created with every signal blocked still sees its children exit", "[hosts]") {
  // A sigwait/signalfd-style host blocks everything before it makes threads; the runtime's
  // threads inherit that mask.
  sigset_t all, old;
  sigfillset(&all);
  REQUIRE(pthread_sigmask(SIG_SETMASK, &all, &old) == 0);
  bool completed = false;
  std::optional<int> rc;
  {
    auto runtime = std::make_shared<Runtime>();
    StreamerOptions options;
    options.runtime = runtime;
    Streamer s(child({"exit", "3"}), {}, options);
    s.start();
    completed = s.wait_for_completion(10s);
    rc = s.get_process_returncode();
    // Unblocked again, this thread takes a pending SIGCHLD, so a failure cannot hang the test.
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  CHECK(completed);
  CHECK(rc == 3);
}

TEST_CASE("hosts: a Streamer and its host runtime destroyed while the child runs finish as the loop runs",
          "[hosts][embedding]") {
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  const std::size_t kids = children();
  bool completed = false;
  {
    auto runtime = std::make_shared<Runtime>(&loop);
    StreamerOptions options;
    options.runtime = runtime;
    auto s = std::make_unique<Streamer>(child({"sleep", "60000"}), std::filesystem::path{}, options);
    options.runtime.reset();
    s->on_new_line = [&](const Line&) { uv_stop(&loop); };  // the host turns to other work
    s->on_complete = [&] { completed = true; };
    s->start();
    uv_run(&loop, UV_RUN_DEFAULT);
    REQUIRE(s->is_process_running());
    s.reset();        // on the loop's thread: requests the stop, cannot wait
    runtime.reset();  // a stream still runs: the runtime goes once it ended
    CHECK_FALSE(completed);
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // the stream ends its child and completes, then the runtime goes
  CHECK(completed);
  CHECK(children() == kids);
  CHECK(uv_loop_close(&loop) == 0);
}
