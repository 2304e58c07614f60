// Lifecycle: start errors, exit codes and signals, stop(), waiting, and misuse.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include <logstream/logstream.hpp>

#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

TEST_CASE("lifecycle: a missing command fails start() with a clear message", "[lifecycle]") {
  const std::size_t children_before = children();
  Streamer s(ProcessSpec{{"logstream-no-such-command-xyz"}});
  try {
    s.start();
    FAIL("start() did not throw");
  } catch (const StartError& e) {
    std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("logstream-no-such-command-xyz"));
    CHECK_THAT(what, Catch::Contains("not found"));
    CHECK(e.code().value() == ENOENT);
  }
  CHECK_FALSE(s.is_process_running());
  CHECK(children() == children_before);
}

TEST_CASE("lifecycle: a file that is not executable fails start() with EACCES", "[lifecycle]") {
  const TempDir tmp;
  const std::string path = tmp.file("not-executable.sh");
  std::ofstream(path) << "#!/bin/sh\necho hi\n";
  ::chmod(path.c_str(), 0644);
  Streamer s(ProcessSpec{{path}});
  try {
    s.start();
    FAIL("start() did not throw");
  } catch (const StartError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("not executable"));
    CHECK_THAT(std::string(e.what()), Catch::Contains(path));
  }
}

TEST_CASE("lifecycle: a bad working directory fails start() naming it", "[lifecycle]") {
  ProcessSpec spec = child({"cwd"});
  spec.cwd = "/nonexistent/logstream-dir";
  Streamer s(spec);
  CHECK_THROWS_WITH(s.start(), Catch::Contains("/nonexistent/logstream-dir"));
}

TEST_CASE("lifecycle: an empty command is refused", "[lifecycle]") {
  Streamer s(ProcessSpec{});
  CHECK_THROWS_AS(s.start(), StartError);
}

TEST_CASE("lifecycle: exit codes and signals are reported", "[lifecycle]") {
  SECTION("exit 0") {
    Streamer s(child({"exit", "0"}));
    s.start();
    REQUIRE(s.wait_for_completion(30s));
    CHECK(s.get_process_returncode() == 0);
  }
  SECTION("exit 3") {
    Streamer s(child({"exit", "3"}));
    s.start();
    REQUIRE(s.wait_for_completion(30s));
    CHECK(s.get_process_returncode() == 3);
    CHECK(s.exit_status()->exit_code == 3);
    CHECK(s.get_logs() == std::vector<std::string>{"bye"});
  }
  SECTION("killed by a signal: minus the signal number, as Python's returncode") {
    Streamer s(child({"signal", std::to_string(SIGABRT)}));
    s.start();
    REQUIRE(s.wait_for_completion(30s));
    CHECK(s.get_process_returncode() == -SIGABRT);
    CHECK(s.exit_status()->term_signal == SIGABRT);
    CHECK(s.get_logs() == std::vector<std::string>{"dying"});
  }
}

TEST_CASE("lifecycle: wait_for_completion with a short timeout returns false while the child runs", "[lifecycle]") {
  Streamer s(child({"sleep", "60000"}));
  s.start();
  CHECK(s.is_process_running());
  CHECK_FALSE(s.wait_for_completion(50ms));
  CHECK_FALSE(s.get_process_returncode().has_value());
  s.stop();
  CHECK(s.is_complete());
  CHECK_FALSE(s.is_process_running());
}

TEST_CASE("lifecycle: stop() ends a child that ignores SIGTERM, after the grace period", "[lifecycle]") {
  StreamerOptions options;
  options.stop_grace = 300ms;
  FirstLine ready("ready");
  Streamer s(child({"ignore-term"}), {}, options);
  s.on_new_line = ready.callback();
  s.start();
  // The child must have installed its handler before we signal it.
  REQUIRE(ready.wait(10s));
  auto t0 = std::chrono::steady_clock::now();
  s.stop();
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(s.get_process_returncode() == -SIGKILL);
  CHECK(took >= 300ms);
  CHECK(s.get_logs() == std::vector<std::string>{"ready"});
}

TEST_CASE("lifecycle: stop() delivers what the child wrote before it ended", "[lifecycle]") {
  FirstLine started("start");
  Streamer s(child({"sleep", "60000"}));
  s.on_new_line = started.callback();
  s.start();
  REQUIRE(started.wait(10s));
  s.stop();
  s.stop();  // idempotent
  CHECK(s.get_process_returncode() == -SIGTERM);
  CHECK(s.get_logs() == std::vector<std::string>{"start"});
}

TEST_CASE("lifecycle: a grandchild holding the pipe does not hang the stream", "[lifecycle]") {
  StreamerOptions options;
  options.drain_timeout = 200ms;
  std::atomic<bool> truncated{false};
  Streamer s(child({"grandchild", "5000"}), {}, options);
  s.on_event = [&](const StreamEvent& e) {
    if (e.kind == EventKind::truncated) truncated = true;
  };
  s.start();
  REQUIRE(s.wait_for_completion(4s));
  CHECK(s.get_process_returncode() == 0);
  CHECK(s.get_logs() == std::vector<std::string>{"parent done"});
  CHECK(truncated.load());
  CHECK(s.stats().truncated);
}

TEST_CASE("lifecycle: start() twice and add_sink() after start() are usage errors", "[lifecycle]") {
  Streamer s(child({"exit", "0"}));
  s.start();
  CHECK_THROWS_AS(s.start(), UsageError);
  CHECK_THROWS_AS(s.add_sink(std::make_shared<CallbackSink>([](const Line&) {})), UsageError);
  REQUIRE(s.wait_for_completion(30s));
}

TEST_CASE("lifecycle: several threads may wait for completion at once", "[lifecycle]") {
  Streamer s(child({"lines", "20000"}));
  s.start();
  std::vector<std::thread> waiters;
  std::atomic<int> completed{0};
  for (int i = 0; i < 4; ++i)
    waiters.emplace_back([&] {
      if (s.wait_for_completion(60s)) ++completed;
    });
  for (auto& t : waiters) t.join();
  CHECK(completed.load() == 4);
  CHECK(s.get_logs().size() == 500);
}
