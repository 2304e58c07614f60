// Leaks: streams started and finished in a row leave no fd, thread or child behind.
#include <catch2/catch.hpp>

#include <logstream/logstream.hpp>

#include "process_support.hpp"
#include "test_scale.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

TEST_CASE("leaks: 200 streams in a row leave no fd, thread or child behind", "[leaks]") {
  const TempDir tmp;
  // One stream first, so lazily created process-wide state (libuv's signal pipe) is counted.
  {
    Streamer warm(child({"exit", "0"}));
    warm.start();
    REQUIRE(warm.wait_for_completion(30s));
  }
  const std::size_t fds = open_fds();
  const auto threads_before = thread_ids();
  const std::size_t child_count = children();
  for (int i = 0, streams = scaled(200, 40); i < streams; ++i) {
    Streamer s(child({"lines", "100"}), tmp.file("leak.log"));
    s.start();
    REQUIRE(s.wait_for_completion(30s));
    REQUIRE(s.stats().lines == 100);
  }
  auto shared = std::make_shared<Runtime>();
  for (int i = 0; i < 50; ++i) {
    StreamerOptions options;
    options.runtime = shared;
    Streamer s(child({"both", "10"}), {}, options);
    s.start();
    REQUIRE(s.wait_for_completion(30s));
  }
  shared.reset();
  CHECK(open_fds() == fds);
  CHECK(threads_added_since(threads_before) == "");
  CHECK(children() == child_count);
}

TEST_CASE("leaks: a Streamer destroyed while its child runs stops it and leaves nothing", "[leaks]") {
  const std::size_t fds = open_fds();
  const std::size_t child_count = children();
  {
    Streamer s(child({"sleep", "60000"}));
    s.start();
    CHECK(s.is_process_running());
  }
  CHECK(open_fds() == fds);
  CHECK(children() == child_count);
}
