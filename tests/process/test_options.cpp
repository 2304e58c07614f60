// StreamerOptions checked at start(): a bound that could never admit reading is refused, not
// left to spin the I/O thread.
#include <catch2/catch.hpp>

#include <string>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

TEST_CASE("options: max_inflight_bytes below two reads is a usage error at start()", "[options]") {
  for (const std::size_t bytes : {std::size_t{0}, std::size_t{1000}, std::size_t{64 << 10}, std::size_t{(128 << 10) - 1}}) {
    StreamerOptions options;
    options.max_inflight_bytes = bytes;
    const std::size_t kids = children();
    Streamer s(child({"lines", "1000"}), {}, options);
    try {
      s.start();
      FAIL("start() accepted max_inflight_bytes = " << bytes);
    } catch (const UsageError& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains("max_inflight_bytes") && Catch::Contains("131072"));
    }
    CHECK_FALSE(s.is_process_running());
    CHECK(children() == kids);
  }
}

TEST_CASE("options: max_inflight_bytes of exactly two reads streams everything", "[options]") {
  StreamerOptions options;
  options.max_inflight_bytes = 128 << 10;
  Streamer s(child({"lines", "200000"}), {}, options);
  s.start();
  REQUIRE(s.wait_for_completion(60s));
  CHECK(s.stats().lines == 200000);
  CHECK(s.stats().peak_inflight_bytes <= options.max_inflight_bytes);
}

TEST_CASE("options: buffer_lines 0 keeps one line", "[options]") {
  StreamerOptions options;
  options.buffer_lines = 0;
  Streamer s(child({"lines", "10"}), {}, options);
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  CHECK(s.get_logs().size() == 1);
}
