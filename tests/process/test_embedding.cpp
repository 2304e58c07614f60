// Embedding: a stream on the host's own uv loop runs on that thread alone.
#include <catch2/catch.hpp>

#include <uv.h>

#include <thread>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;

TEST_CASE("embedding: a stream on a host loop uses no thread of its own", "[embedding]") {
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  const auto threads_before = thread_ids();
  {
    auto runtime = std::make_shared<Runtime>(&loop);
    CHECK_FALSE(runtime->owns_loop());
    StreamerOptions options;
    options.runtime = runtime;
    std::vector<std::thread::id> callback_threads;
    bool completed = false;
    Streamer s(child({"lines", "5000"}), {}, options);
    s.on_new_line = [&](const Line&) {
      if (callback_threads.empty() || callback_threads.back() != std::this_thread::get_id())
        callback_threads.push_back(std::this_thread::get_id());
    };
    s.on_complete = [&] { completed = true; };
    s.start();  // on the loop's thread, before the loop runs
    CHECK(threads_added_since(threads_before) == "");
    // The host drives its loop; the run returns once the stream's handles are all closed.
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK(completed);
    CHECK(s.is_complete());
    CHECK(threads_added_since(threads_before) == "");
    CHECK(s.stats().lines == 5000);
    CHECK(s.get_process_returncode() == 0);
    REQUIRE(callback_threads.size() == 1);
    CHECK(callback_threads[0] == std::this_thread::get_id());
  }
  // The runtime's own handle closes on the next turn of the host's loop, as any libuv handle.
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}
