// The drain after the child's exit: a background process still holding the output is followed
// while it writes, and StreamerOptions::max_drain bounds how long.
#include <catch2/catch.hpp>

#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

namespace {

struct Truncations {
  std::mutex mutex;
  std::vector<std::string> messages;
  void operator()(const StreamEvent& e) {
    if (e.kind != EventKind::truncated) return;
    std::lock_guard lock(mutex);
    messages.push_back(e.message);
  }
};

// "parent done", then "background 1", "background 2"... in order, from the second line on.
bool background_in_order(const std::vector<std::string>& logs) {
  std::size_t next = 1;
  for (const std::string& line : logs) {
    if (line == "parent done") continue;
    if (line != fmt::format("background {}", next++)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("drain: a background writer is followed while it writes, and nothing is lost", "[drain]") {
  StreamerOptions options;
  options.drain_timeout = 200ms;  // the writer runs for ten of them, never silent for one
  Truncations truncations;
  Streamer s(child({"orphan-writer", "20", "100"}), {}, options);
  s.on_event = std::ref(truncations);
  s.start();
  REQUIRE(s.wait_for_completion(60s));
  CHECK(s.get_process_returncode() == 0);
  const auto logs = s.get_logs();
  CHECK(logs.size() == 101);
  CHECK(background_in_order(logs));
  CHECK_FALSE(s.stats().truncated);
  CHECK(truncations.messages.empty());
}

TEST_CASE("drain: max_drain ends a background writer that never pauses, and says so", "[drain]") {
  StreamerOptions options;
  options.drain_timeout = 200ms;
  options.max_drain = 1000ms;
  Truncations truncations;
  Streamer s(child({"orphan-writer", "10"}), {}, options);
  s.on_event = std::ref(truncations);
  const auto t0 = std::chrono::steady_clock::now();
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took >= 1000ms);
  CHECK(took < 10s);
  CHECK(s.get_process_returncode() == 0);
  CHECK(s.stats().truncated);
  {
    std::lock_guard lock(truncations.mutex);
    REQUIRE(truncations.messages.size() == 1);
    CHECK_THAT(truncations.messages[0], Catch::Contains("max_drain") && Catch::Contains("1000 ms"));
  }
  const auto logs = s.get_logs();
  CHECK(logs.size() > 10);  // followed for a while: a line every 10 ms
  CHECK(background_in_order(logs));
}
