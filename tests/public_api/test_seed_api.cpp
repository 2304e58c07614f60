// The seed's API, used as its "Manual Usage" section does, through the public header only.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include <logstream/logstream.hpp>

using namespace std::chrono_literals;

namespace {
std::string child_path() {
  const char* p = std::getenv("LOGSTREAM_TEST_CHILD");
  return p ? p : "tests/helpers/test_child";
}
}  // namespace

TEST_CASE("seed api: start, poll, wait, return code, stop", "[seed]") {
  logstream::Streamer s{logstream::ProcessSpec{{child_path(), "slow", "5", "20"}}};
  std::atomic<int> lines{0};
  s.on_new_line = [&](const logstream::Line&) { ++lines; };
  std::atomic<int> updates{0};
  s.on_progress_update = [&](const logstream::TrainingProgress&) { ++updates; };
  s.start();
  CHECK(s.start_time() <= std::chrono::system_clock::now());
  bool done = s.wait_for_completion(30s);
  REQUIRE(done);
  CHECK_FALSE(s.is_process_running());
  CHECK(s.get_process_returncode() == 0);
  CHECK(lines.load() == 5);
  CHECK(s.get_logs(2).size() == 2);
  CHECK(s.get_all_logs_str(2) == "slow 4\nslow 5");
  CHECK(s.log_buffer().size() == 5);
  s.stop();  // after completion: a no-op
}

TEST_CASE("seed api: the output queue hands lines to a consumer thread", "[seed]") {
  logstream::Streamer s{logstream::ProcessSpec{{child_path(), "lines", "1000"}}};
  auto& queue = s.output_queue();
  s.start();
  std::size_t got = 0;
  while (auto line = queue.pop(10s)) {
    CHECK(line->seq == got + 1);
    ++got;
  }
  CHECK(got == 1000);
  CHECK(s.wait_for_completion(30s));
}

TEST_CASE("seed api: the buffer size is an option", "[seed]") {
  logstream::StreamerOptions options;
  options.buffer_lines = 10;
  logstream::Streamer s{logstream::ProcessSpec{{child_path(), "lines", "100"}}, {}, options};
  s.start();
  REQUIRE(s.wait_for_completion(30s));
  CHECK(s.get_logs().size() == 10);
  CHECK(s.get_entries().back().seq == 100);
}
