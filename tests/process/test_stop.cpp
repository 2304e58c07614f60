// stop(): SIGTERM to the child's group, then SIGKILL after stop_grace to whatever of the group
// still runs, however the stream itself ended meanwhile.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <string>

#include <logstream/logstream.hpp>

#include "pid_watch.hpp"
#include "process_support.hpp"

using namespace logstream;
using namespace logstream::test;
using namespace std::chrono_literals;

TEST_CASE("stop: a group member that ignores SIGTERM is killed after the grace period", "[stop]") {
  // Either the stream ends with the child (the grandchild closed its output), or the drain
  // timeout ends it (the grandchild holds the output, silent): both used to cancel the SIGKILL.
  const bool keep_output = GENERATE(false, true);
  INFO((keep_output ? "the grandchild holds the output" : "the grandchild closed its output"));
  StreamerOptions options;
  options.stop_grace = 1000ms;
  options.drain_timeout = 100ms;
  FirstLine ready("grandchild ");  // "grandchild <pid> ready", written once it ignores SIGTERM
  ProcessSpec spec = keep_output ? child({"orphan-ignore-term", "keep-output"}) : child({"orphan-ignore-term"});
  Streamer s(spec, {}, options);
  s.on_new_line = ready.callback();
  s.start();
  REQUIRE(ready.wait(10s));
  const PidWatch watch(ready.number());
  REQUIRE(watch.valid());
  const auto t0 = std::chrono::steady_clock::now();
  s.stop();
  CHECK(s.get_process_returncode() == -SIGTERM);
  CHECK(s.is_complete());
  CHECK(watch.ended(10s));
  CHECK(std::chrono::steady_clock::now() - t0 >= options.stop_grace);  // SIGTERM was given its time
}

TEST_CASE("stop: a group that is gone by the end of the stream is not waited for", "[stop]") {
  StreamerOptions options;
  options.stop_grace = 30s;
  FirstLine started;
  Streamer s(child({"sleep", "60000"}), {}, options);
  s.on_new_line = started.callback();
  s.start();
  REQUIRE(started.wait(10s));
  const auto t0 = std::chrono::steady_clock::now();
  s.stop();
  CHECK(s.get_process_returncode() == -SIGTERM);
  CHECK(std::chrono::steady_clock::now() - t0 < 20s);
}

TEST_CASE("stop: a group whose last member is a zombie nobody reaps is not waited for", "[stop]") {
  // As under an init that does not reap orphans (a container without --init): this process
  // becomes the orphans' parent and, like such an init, never reaps them during the stop.
  REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  StreamerOptions options;
  options.stop_grace = 30s;
  FirstLine announced("background ");
  Streamer s(ProcessSpec{.argv = {"/bin/sh", "-c", "sleep 60 & echo \"background $!\"; wait"}}, {}, options);
  s.on_new_line = announced.callback();
  s.start();
  REQUIRE(announced.wait(10s));
  const int background = announced.number();
  const auto t0 = std::chrono::steady_clock::now();
  s.stop();
  const auto took = std::chrono::steady_clock::now() - t0;
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  ::waitpid(background, nullptr, 0);  // the orphan, reaped now that the stop is over
  CHECK(s.get_process_returncode() == -SIGTERM);
  CHECK(took < 20s);
}
